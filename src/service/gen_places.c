/* The places of the province-scale data set (`yunquan gen`): Shandong's 16
 * prefecture-level cities and, for every city but Jining (whose 14 units
 * come from data/jining-counties.csv, 附件3), its county-level units with
 * their division codes. Written from memory of the published division
 * list, not checked against it: loaded with code_is_official = false. */
#include "service/gen.h"

#include <stddef.h>

static const struct gen_county jinan[] = {
    {"370102", "历下区", "district"}, {"370103", "市中区", "district"},
    {"370104", "槐荫区", "district"}, {"370105", "天桥区", "district"},
    {"370112", "历城区", "district"}, {"370113", "长清区", "district"},
    {"370114", "章丘区", "district"}, {"370124", "平阴县", "county"},
    {"370126", "商河县", "county"},   {NULL, NULL, NULL}};
static const struct gen_county qingdao[] = {{"370202", "市南区", "district"},
                                            {"370203", "市北区", "district"},
                                            {"370211", "黄岛区", "district"},
                                            {"370212", "崂山区", "district"},
                                            {"370213", "李沧区", "district"},
                                            {"370214", "城阳区", "district"},
                                            {"370215", "即墨区", "district"},
                                            {"370281", "胶州市", "county_city"},
                                            {"370283", "平度市", "county_city"},
                                            {"370285", "莱西市", "county_city"},
                                            {NULL, NULL, NULL}};
static const struct gen_county zibo[] = {{"370302", "淄川区", "district"},
                                         {"370303", "张店区", "district"},
                                         {"370304", "博山区", "district"},
                                         {"370305", "临淄区", "district"},
                                         {"370306", "周村区", "district"},
                                         {"370321", "桓台县", "county"},
                                         {"370322", "高青县", "county"},
                                         {"370323", "沂源县", "county"},
                                         {NULL, NULL, NULL}};
static const struct gen_county zaozhuang[] = {{"370402", "市中区", "district"},
                                              {"370403", "薛城区", "district"},
                                              {"370404", "峄城区", "district"},
                                              {"370405", "台儿庄区", "district"},
                                              {"370406", "山亭区", "district"},
                                              {"370481", "滕州市", "county_city"},
                                              {NULL, NULL, NULL}};
static const struct gen_county dongying[] = {
    {"370502", "东营区", "district"}, {"370503", "河口区", "district"},
    {"370505", "垦利区", "district"}, {"370522", "利津县", "county"},
    {"370523", "广饶县", "county"},   {NULL, NULL, NULL}};
static const struct gen_county yantai[] = {{"370602", "芝罘区", "district"},
                                           {"370611", "福山区", "district"},
                                           {"370612", "牟平区", "district"},
                                           {"370613", "莱山区", "district"},
                                           {"370681", "龙口市", "county_city"},
                                           {"370682", "莱阳市", "county_city"},
                                           {"370683", "莱州市", "county_city"},
                                           {"370685", "招远市", "county_city"},
                                           {"370686", "栖霞市", "county_city"},
                                           {"370687", "海阳市", "county_city"},
                                           {NULL, NULL, NULL}};
static const struct gen_county weifang[] = {{"370702", "潍城区", "district"},
                                            {"370703", "寒亭区", "district"},
                                            {"370704", "坊子区", "district"},
                                            {"370705", "奎文区", "district"},
                                            {"370724", "临朐县", "county"},
                                            {"370725", "昌乐县", "county"},
                                            {"370781", "青州市", "county_city"},
                                            {"370782", "诸城市", "county_city"},
                                            {"370783", "寿光市", "county_city"},
                                            {"370784", "安丘市", "county_city"},
                                            {"370785", "高密市", "county_city"},
                                            {"370786", "昌邑市", "county_city"},
                                            {NULL, NULL, NULL}};
static const struct gen_county taian[] = {{"370902", "泰山区", "district"},
                                          {"370911", "岱岳区", "district"},
                                          {"370921", "宁阳县", "county"},
                                          {"370923", "东平县", "county"},
                                          {"370982", "新泰市", "county_city"},
                                          {"370983", "肥城市", "county_city"},
                                          {NULL, NULL, NULL}};
static const struct gen_county weihai[] = {{"371002", "环翠区", "district"},
                                           {"371003", "文登区", "district"},
                                           {"371082", "荣成市", "county_city"},
                                           {"371083", "乳山市", "county_city"},
                                           {NULL, NULL, NULL}};
static const struct gen_county rizhao[] = {{"371102", "东港区", "district"},
                                           {"371103", "岚山区", "district"},
                                           {"371121", "五莲县", "county"},
                                           {"371122", "莒县", "county"},
                                           {NULL, NULL, NULL}};
static const struct gen_county linyi[] = {{"371302", "兰山区", "district"},
                                          {"371311", "罗庄区", "district"},
                                          {"371312", "河东区", "district"},
                                          {"371321", "沂南县", "county"},
                                          {"371322", "郯城县", "county"},
                                          {"371323", "沂水县", "county"},
                                          {"371324", "兰陵县", "county"},
                                          {"371325", "费县", "county"},
                                          {"371326", "平邑县", "county"},
                                          {"371327", "莒南县", "county"},
                                          {"371328", "蒙阴县", "county"},
                                          {"371329", "临沭县", "county"},
                                          {NULL, NULL, NULL}};
static const struct gen_county dezhou[] = {
    {"371402", "德城区", "district"},    {"371403", "陵城区", "district"},
    {"371422", "宁津县", "county"},      {"371423", "庆云县", "county"},
    {"371424", "临邑县", "county"},      {"371425", "齐河县", "county"},
    {"371426", "平原县", "county"},      {"371427", "夏津县", "county"},
    {"371428", "武城县", "county"},      {"371481", "乐陵市", "county_city"},
    {"371482", "禹城市", "county_city"}, {NULL, NULL, NULL}};
static const struct gen_county liaocheng[] = {{"371502", "东昌府区", "district"},
                                              {"371503", "茌平区", "district"},
                                              {"371521", "阳谷县", "county"},
                                              {"371522", "莘县", "county"},
                                              {"371524", "东阿县", "county"},
                                              {"371525", "冠县", "county"},
                                              {"371526", "高唐县", "county"},
                                              {"371581", "临清市", "county_city"},
                                              {NULL, NULL, NULL}};
static const struct gen_county binzhou[] = {
    {"371602", "滨城区", "district"},    {"371603", "沾化区", "district"},
    {"371621", "惠民县", "county"},      {"371622", "阳信县", "county"},
    {"371623", "无棣县", "county"},      {"371625", "博兴县", "county"},
    {"371681", "邹平市", "county_city"}, {NULL, NULL, NULL}};
static const struct gen_county heze[] = {
    {"371702", "牡丹区", "district"}, {"371703", "定陶区", "district"},
    {"371721", "曹县", "county"},     {"371722", "单县", "county"},
    {"371723", "成武县", "county"},   {"371724", "巨野县", "county"},
    {"371725", "郓城县", "county"},   {"371726", "鄄城县", "county"},
    {"371728", "东明县", "county"},   {NULL, NULL, NULL}};

/* Jining first (the program is its), then the others in code order. */
const struct gen_city gen_cities[GEN_MAX_CITIES] = {
    {"3708", "济宁市", NULL},   {"3701", "济南市", jinan},     {"3702", "青岛市", qingdao},
    {"3703", "淄博市", zibo},   {"3704", "枣庄市", zaozhuang}, {"3705", "东营市", dongying},
    {"3706", "烟台市", yantai}, {"3707", "潍坊市", weifang},   {"3709", "泰安市", taian},
    {"3710", "威海市", weihai}, {"3711", "日照市", rizhao},    {"3713", "临沂市", linyi},
    {"3714", "德州市", dezhou}, {"3715", "聊城市", liaocheng}, {"3716", "滨州市", binzhou},
    {"3717", "菏泽市", heze},
};
