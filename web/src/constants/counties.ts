// The 14 county-level units of Jining (附件3, data/jining-counties.csv).
// GET /counties needs a session; the sign-up page is public, so it uses this
// copy. Keep it in step with the data file.

export interface CountyOption {
  code: string;
  name: string;
}

export const JINING_COUNTIES: readonly CountyOption[] = [
  { code: '370811', name: '任城区' },
  { code: '370812', name: '兖州区' },
  { code: '370881', name: '曲阜市' },
  { code: '370831', name: '泗水县' },
  { code: '370883', name: '邹城市' },
  { code: '370826', name: '微山县' },
  { code: '370827', name: '鱼台县' },
  { code: '370828', name: '金乡县' },
  { code: '370829', name: '嘉祥县' },
  { code: '370830', name: '汶上县' },
  { code: '370832', name: '梁山县' },
  { code: '370871', name: '济宁高新区' },
  { code: '370872', name: '太白湖新区' },
  { code: '370873', name: '济宁经济技术开发区' },
];

/** The county's name, or the code when it is not one of Jining's. */
export function countyName(code: string | null | undefined): string {
  if (!code) return '';
  return JINING_COUNTIES.find((c) => c.code === code)?.name ?? code;
}
