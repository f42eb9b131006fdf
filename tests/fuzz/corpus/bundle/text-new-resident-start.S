S{"husly":"changes","format":1,"from":"87c85xsq705t","name":"corpus","created":"2026-11-25T01:14:00Z","full":1}
{"hlc":"019a08072f80-0000","terminal":"tp03tyh2dvy2","tbl":"resident","row":"6rst8dtg27d8","field":"name","old":null,"new":"Sofie Munkebæk","login":"demo","at":"2025-10-21T18:28:00Z","base":null}
{"hlc":"019a08072f80-0001","terminal":"tp03tyh2dvy2","tbl":"resident","row":"6rst8dtg27d8","field":"birth_date","old":null,"new":"1990-03-21","login":"demo","at":"2025-10-21T18:28:00Z","base":null}
{"hlc":"019a08072f80-0002","terminal":"tp03tyh2dvy2","tbl":"resident","row":"6rst8dtg27d8","field":"cpr","old":null,"new":"2103903176","login":"demo","at":"2025-10-21T18:28:00Z","base":null}
{"hlc":"019a08072f80-0003","terminal":"tp03tyh2dvy2","tbl":"resident","row":"6rst8dtg27d8","field":"gender","old":null,"new":"female","login":"demo","at":"2025-10-21T18:28:00Z","base":null}
{"hlc":"019a08072f80-0004","terminal":"tp03tyh2dvy2","tbl":"resident","row":"6rst8dtg27d8","field":"home_kommune","old":null,"new":"219","login":"demo","at":"2025-10-21T18:28:00Z","base":null}
{"hlc":"019a08072f80-0005","terminal":"tp03tyh2dvy2","tbl":"resident","row":"6rst8dtg27d8","field":"income","old":null,"new":"cash_benefit","login":"demo","at":"2025-10-21T18:28:00Z","base":null}
{"hlc":"019a08072f80-0006","terminal":"tp03tyh2dvy2","tbl":"resident","row":"6rst8dtg27d8","field":"debt_rki","old":null,"new":1,"login":"demo","at":"2025-10-21T18:28:00Z","base":null}
{"hlc":"019a08072f80-0007","terminal":"tp03tyh2dvy2","tbl":"resident","row":"6rst8dtg27d8","field":"debt_total","old":null,"new":135000,"login":"demo","at":"2025-10-21T18:28:00Z","base":null}
{"hlc":"019a08072f80-0008","terminal":"tp03tyh2dvy2","tbl":"resident","row":"6rst8dtg27d8","field":"debt_counselling","old":null,"new":0,"login":"demo","at":"2025-10-21T18:28:00Z","base":null}
{"hlc":"019a08072f80-0009","terminal":"tp03tyh2dvy2","tbl":"resident","row":"6rst8dtg27d8","field":"physical_health","old":null,"new":"Dårlige tænder, venter på tandlæge","login":"demo","at":"2025-10-21T18:28:00Z","base":null}
{"hlc":"019a08072f80-000a","terminal":"tp03tyh2dvy2","tbl":"resident","row":"6rst8dtg27d8","field":"network","old":null,"new":"Ven fra værestedet","login":"demo","at":"2025-10-21T18:28:00Z","base":null}
{"hlc":"019a08072f80-000b","terminal":"tp03tyh2dvy2","tbl":"resident","row":"6rst8dtg27d8","field":"work","old":null,"new":"Uddannet kok, sidst i arbejde 2016","login":"demo","at":"2025-10-21T18:28:00Z","base":null}
{"hlc":"019a08072f80-000c","terminal":"tp03tyh2dvy2","tbl":"answer","row":"6rst8dtg27d8/cause/eviction","field":"resident_id","old":null,"new":"6rst8dtg27d8","login":"demo","at":"2025-10-21T18:28:00Z","base":null}
{"hlc":"019a08072f80-000d","terminal":"tp03tyh2dvy2","tbl":"answer","row":"6rst8dtg27d8/cause/eviction","field":"list","old":null,"new":"cause","login":"demo","at":"2025-10-21T18:28:00Z","base":null}
{"hlc":"019a08072f80-000e","terminal":"tp03tyh2dvy2","tbl":"answer","row":"6rst8dtg27d8/cause/eviction","field":"code","old":null,"new":"eviction","login":"demo","at":"2025-10-21T18:28:00Z","base":null}
{"hlc":"019a08072f80-000f","terminal":"tp03tyh2dvy2","tbl":"answer","row":"6rst8dtg27d8/cause/eviction","field":"value","old":null,"new":"yes","login":"demo","at":"2025-10-21T18:28:00Z","base":null}
{"hlc":"019a08072f80-0010","terminal":"tp03tyh2dvy2","tbl":"answer","row":"6rst8dtg27d8/cause/eviction","field":"treatment","old":null,"new":0,"login":"demo","at":"2025-10-21T18:28:00Z","base":null}
{"hlc":"019a08072f80-0011","terminal":"tp03tyh2dvy2","tbl":"answer","row":"6rst8dtg27d8/cause/misuse","field":"resident_id","old":null,"new":"6rst8dtg27d8","login":"demo","at":"2025-10-21T18:28:00Z","base":null}
{"hlc":"019a08072f80-0012","terminal":"tp03tyh2dvy2","tbl":"answer","row":"6rst8dtg27d8/cause/misuse","field":"list","old":null,"new":"cause","login":"demo","at":"2025-10-21T18:28:00Z","base":null}
{"hlc":"019a08072f80-0013","terminal":"tp03tyh2dvy2","tbl":"answer","row":"6rst8dtg27d8/cause/misuse","field":"code","old":null,"new":"misuse","login":"demo","at":"2025-10-21T18:28:00Z","base":null}
{"hlc":"019a08072f80-0014","terminal":"tp03tyh2dvy2","tbl":"answer","row":"6rst8dtg27d8/cause/misuse","field":"value","old":null,"new":"yes","login":"demo","at":"2025-10-21T18:28:00Z","base":null}
{"hlc":"019a08072f80-0015","terminal":"tp03tyh2dvy2","tbl":"answer","row":"6rst8dtg27d8/cause/misuse","field":"treatment","old":null,"new":0,"login":"demo","at":"2025-10-21T18:28:00Z","base":null}
{"hlc":"019a08072f80-0016","terminal":"tp03tyh2dvy2","tbl":"answer","row":"6rst8dtg27d8/misuse/alcohol","field":"resident_id","old":null,"new":"6rst8dtg27d8","login":"demo","at":"2025-10-21T18:28:00Z","base":null}
{"hlc":"019a08072f80-0017","terminal":"tp03tyh2dvy2","tbl":"answer","row":"6rst8dtg27d8/misuse/alcohol","field":"list","old":null,"new":"misuse","login":"demo","at":"2025-10-21T18:28:00Z","base":null}
{"hlc":"019a08072f80-0018","terminal":"tp03tyh2dvy2","tbl":"answer","row":"6rst8dtg27d8/misuse/alcohol","field":"code","old":null,"new":"alcohol","login":"demo","at":"2025-10-21T18:28:00Z","base":null}
{"hlc":"019a08072f80-0019","terminal":"tp03tyh2dvy2","tbl":"answer","row":"6rst8dtg27d8/misuse/alcohol","field":"value","old":null,"new":"earlier","login":"demo","at":"2025-10-21T18:28:00Z","base":null}
{"hlc":"019a08072f80-001a","terminal":"tp03tyh2dvy2","tbl":"answer","row":"6rst8dtg27d8/misuse/alcohol","field":"treatment","old":null,"new":0,"login":"demo","at":"2025-10-21T18:28:00Z","base":null}
{"hlc":"019a08072f80-001b","terminal":"tp03tyh2dvy2","tbl":"answer","row":"6rst8dtg27d8/debt/rent_arrears","field":"resident_id","old":null,"new":"6rst8dtg27d8","login":"demo","at":"2025-10-21T18:28:00Z","base":null}
{"hlc":"019a08072f80-001c","terminal":"tp03tyh2dvy2","tbl":"answer","row":"6rst8dtg27d8/debt/rent_arrears","field":"list","old":null,"new":"debt","login":"demo","at":"2025-10-21T18:28:00Z","base":null}
