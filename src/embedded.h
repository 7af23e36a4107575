/* Data files compiled into the binary (see scripts/embed.py and meson.build),
 * so that the program never depends on its working directory. */
#ifndef YQ_EMBEDDED_H
#define YQ_EMBEDDED_H

extern const char yq_data_counties_csv[];
extern const unsigned long yq_data_counties_csv_len;
extern const char yq_data_openapi_json[];
extern const unsigned long yq_data_openapi_json_len;

extern const char yq_data_catalog_csv[];
extern const unsigned long yq_data_catalog_csv_len;
extern const char yq_data_program_jining_json[];
extern const unsigned long yq_data_program_jining_json_len;

extern const char yq_data_holidays_csv[];
extern const unsigned long yq_data_holidays_csv_len;

#endif
