"""Latvian definitions of the terms of our extension vocabulary (`schemas/pps-vocabulary.ttl`).

The English definitions and the Latvian labels come from the models' fields; the Latvian
definitions are here. Numbers in brackets point to paragraphs of the Latvian public service
concept document. A test fails when a term of the models has no definition.
"""

from __future__ import annotations

VOCABULARY_VERSION = "1.0"

# class → (Latvian label, Latvian definition)
CLASS_DEFINITIONS_LV = {
    "pps:ChannelStrategy": ("kanālu stratēģija", "Kuri klientu segmenti kādus kanālus izmanto un ar kādu plānoto daļu [129.3]."),
    "pps:SegmentAllocation": ("segmenta sadalījums", "Viena klientu segmenta (un, ja norādīts, viena sniegšanas soļa) gadījumu sadalījums pa kanāliem."),
    "pps:ChannelShare": ("kanāla daļa", "Viena kanāla plānotā daļa procentos."),
    "pps:ResponsibleRole": ("atbildīgā loma", "Amats vai loma, kas atbild par pakalpojumu vai rādītāju; persona var nebūt norādīta."),
    "pps:Indicator": ("pakalpojuma rādītājs", "Rādītājs ar rādītāja pasi: nosaukums, mērķis, veids, mērvienība, biežums, datu avots, mērķa vērtības [278]."),
    "pps:Target": ("mērķa vērtības", "Rādītāja mērķa vērtības: minimums, maksimums, robežas, zonas vai skala [278.10]."),
    "pps:TargetZone": ("vērtību zona", "Vērtību josla ar nozīmi: zaļā, dzeltenā vai sarkanā zona."),
    "pps:Corridor": ("kritiskais koridors", "Vērtības ārpus koridora prasa tūlītēju rīcību [278.10.1]."),
    "pps:UnifiedService": ("unificētais pakalpojums", "Vienotā pašvaldību pakalpojumu saraksta ieraksts: valstī vienots nosaukums, apraksts un process, uz ko norāda katras pašvaldības pakalpojums [301.4]."),
}

PROPERTY_DEFINITIONS_LV = {
    "pps:measurements": "Kataloga rādītāju mērījumu datu kubs (qb:DataSet).",
    "pps:serviceKind": "Pakalpojuma veids: vispārējā labuma, administratīvais, fiziskais, saimnieciskais vai starpiestāžu [86]–[104].",
    "pps:importance": "Pakalpojuma svarīgums: 1 kritisks, 2 svarīgs, 3 vidēji svarīgs, 4 mazsvarīgs [127].",
    "pps:maturity": "Pakalpojuma brieduma līmenis no 0 (neeksistējošs) līdz 5 (optimizēts) [164].",
    "pps:publicFunction": "Valsts pārvaldes funkcija, ko pakalpojums īsteno.",
    "pps:publicTask": "Funkcijas uzdevums, ko pakalpojums īsteno.",
    "pps:policyOutcome": "Politikas rezultāts, kura sasniegšanu pakalpojums veicina.",
    "pps:serviceManager": "Loma, kas atbild par pakalpojumu (pakalpojuma vadītājs) [122.2].",
    "pps:channelStrategy": "Pakalpojuma kanālu stratēģija: plānotās kanālu daļas pa klientu segmentiem [129.3].",
    "pps:publishingState": "Apraksta stāvoklis katalogā: melnraksts, publicēts, grozīts vai arhivēts.",
    "pps:validFrom": "Pirmā diena, kurā apraksts vai darba laiks ir spēkā.",
    "pps:validTo": "Pēdējā diena, kurā apraksts vai darba laiks ir spēkā.",
    "pps:instantiates": "Unificētais pakalpojums, kura pašvaldības instance ir šis pakalpojums.",
    "pps:hasIndicator": "Pakalpojuma vai kanāla rādītājs ar rādītāja pasi.",
    "pps:organisationKind": "Iestādes veids: valsts iestāde, pašvaldība, pašvaldības iestāde, privātpersona ar deleģētu pārvaldes uzdevumu vai cita.",
    "pps:registrationNumber": "Iestādes 11 ciparu reģistrācijas numurs.",
    "pps:url": "Elektroniska kanāla tīmekļa adrese.",
    "pps:allocation": "Kanālu stratēģijas sadalījums vienam klientu segmentam.",
    "pps:segment": "Klientu segments [129.1].",
    "pps:deliveryTask": "Pakalpojuma sniegšanas uzdevums: informēšana, pieprasīšana, izpilde, rezultātu piegāde, konsultācijas, atsauksmes, uzskaite un kontrole [114].",
    "pps:share": "Viena kanāla plānotā daļa segmenta sadalījumā.",
    "pps:channel": "Kanāls, uz ko attiecas daļa vai mērījums.",
    "pps:plannedShare": "Plānotā segmenta gadījumu daļa kanālā, procentos (0–100).",
    "pps:throughChannel": "Pakalpojuma kanāls, caur kuru sniedzējs apkalpo klientus.",
    "pps:office": "Vai sniedzēja uzdevums ir klientu apkalpošana (front-office) vai pakalpojuma nodrošināšana (back-office) [116].",
    "pps:role": "Amata vai lomas nosaukums.",
    "pps:organisation": "Iestāde, kurai pieder loma.",
    "pps:goal": "Kam rādītājs tiek izmantots [278.2].",
    "pps:indicatorKind": "Rezultāta (apjoma, izmaksu, kvalitātes, pieejamības) vai procesa rādītāja veids [277].",
    "pps:indicatorScope": "Ārējais (publicējams) vai iekšējais rādītājs [278.4].",
    "pps:unit": "Mērvienība, piemēram, gadījumi, dienas, %, EUR [278.5].",
    "pps:formula": "Atvasināta rādītāja aprēķina formula ar atsaucēm {rādītājs} [278.6].",
    "pps:measuringFrequency": "Cik bieži rādītāju mēra [278.7].",
    "pps:reportingFrequency": "Cik bieži par rādītāju atskaitās un to pārbauda [278.7].",
    "pps:measuringStart": "Rādītāja mērīšanas sākums [278.8].",
    "pps:measuringEnd": "Rādītāja mērīšanas beigas [278.8].",
    "pps:dataSource": "Kā iegūst datus: uzskaite, izpildes kontrole, monitorings, aptaujas, auditi [278.9].",
    "pps:dataSourceDetail": "Kura sistēma vai reģistrs ir datu avots.",
    "pps:target": "Rādītāja mērķa vērtības [278.10].",
    "pps:criticalCorridor": "Rādītāja kritiskais koridors [278.10.1].",
    "pps:alarmProcedure": "Kas notiek, ja vērtība iziet ārpus koridora [278.10.2].",
    "pps:measuredBy": "Kas mēra rādītāju un par to atskaitās [278.11].",
    "pps:analysedBy": "Kas analizē rādītāju [278.12].",
    "pps:targetKind": "Kā izteiktas mērķa vērtības: minimums, maksimums, robežas, zonas vai skala.",
    "pps:targetValue": "Vērtība, uz ko tiecas.",
    "pps:minimum": "Mazākā pieņemamā vērtība (vai skalas zemākais punkts).",
    "pps:maximum": "Lielākā pieņemamā vērtība (vai skalas augstākais punkts).",
    "pps:zone": "Mērķa vērtību zona.",
    "pps:zoneLevel": "Zonas nozīme: zaļā, dzeltenā vai sarkanā.",
    "pps:lowerBound": "Zemākā vērtība (zonā ieskaitot).",
    "pps:upperBound": "Augstākā vērtība.",
    "pps:indicator": "Rādītājs, kura vērtība izmērīta.",
    "pps:periodStart": "Mērījuma perioda pirmā diena.",
    "pps:periodEnd": "Mērījuma perioda pēdējā diena.",
    "pps:value": "Izmērītā vērtība rādītāja mērvienībā.",
    "pps:generalProcess": "Vispārējais process, visās pašvaldībās vienāds.",
    "pps:exceptDate": "Datums, kurā parastais darba laiks nav spēkā (piemēram, svētku diena).",
    "pps:opens": "Atvēršanas laiks īpašā darba laika dienās.",
    "pps:closes": "Slēgšanas laiks īpašā darba laika dienās.",
}
