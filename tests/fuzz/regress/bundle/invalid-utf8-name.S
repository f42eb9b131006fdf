S{"husly":"changes","format":1,"from":"87c85xsq705t","name":"corpus","created":"2026-11-25T01:14:00Z","full":1}
{"hlc":"019a08072f80-0000","terminal":"tp03tyh2dvy2","tbl":"resident","row":"6rst8dtg27d8","field":"name","old":null,"new":"Sofie ��","login":"demo","at":"2025-10-21T18:28:00Z","base":null}
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
