"""What island imports look like, for the demo: HS 2022 subheadings with typical values per kg,
consignment sizes, CARICOM-like duty rates and where the goods come from. Values are plausible
orders of magnitude, not statistics."""

from __future__ import annotations

from typing import NamedTuple


class Goods(NamedTuple):
    hs_code: str
    description: str
    usd_per_kg: float
    kg: tuple[float, float]  # consignment net mass range
    duty_rate: float  # percent
    origins: str  # ISO countries, the first ones most often
    unit: str = "KGM"
    weight: int = 10  # how common among cargo lines


CARGO_GOODS: list[Goods] = [
    Goods("020714", "Frozen chicken leg quarters", 2.2, (2000, 24000), 5, "US US US BR"),
    Goods("020329", "Frozen pork cuts", 3.5, (1000, 20000), 15, "US US CA"),
    Goods("020230", "Frozen boneless beef", 7.5, (800, 18000), 5, "US BR CO"),
    Goods("030389", "Frozen fish", 3.0, (500, 12000), 20, "CN US GY"),
    Goods("040221", "Milk powder", 4.5, (500, 15000), 5, "NL US GB"),
    Goods("100630", "Milled rice", 0.7, (5000, 25000), 0, "GY GY SR US"),
    Goods("110100", "Wheat flour", 0.5, (5000, 25000), 5, "TT US CA"),
    Goods("150790", "Refined soya-bean oil", 1.4, (2000, 20000), 10, "US TT AR"),
    Goods("170199", "Refined cane sugar", 0.6, (5000, 25000), 25, "GY BR TT"),
    Goods("190590", "Biscuits and bakery products", 3.2, (300, 6000), 20, "TT US GB"),
    Goods("210690", "Food preparations", 5.0, (200, 5000), 15, "US TT GB"),
    Goods("200410", "Frozen french fries", 1.3, (2000, 20000), 20, "US CA NL"),
    Goods("070190", "Potatoes, fresh", 0.6, (3000, 20000), 40, "US CA NL"),
    Goods("090111", "Green coffee", 4.0, (500, 10000), 15, "CO BR JM"),
    Goods("220300", "Beer in cans and bottles", 1.3, (3000, 22000), 20, "TT MX US NL", "LTR"),
    Goods("220421", "Wine in bottles", 6.0, (400, 9000), 20, "FR CL ES US", "LTR"),
    Goods("220830", "Whisky", 14.0, (300, 8000), 20, "GB US", "LTR"),
    Goods("220890", "Rum and other spirits", 8.0, (300, 8000), 20, "TT BB GY JM", "LTR"),
    Goods("220210", "Soft drinks", 0.9, (3000, 20000), 20, "TT US", "LTR"),
    Goods("240220", "Cigarettes", 55.0, (100, 3000), 30, "US GB PA", "NAR", 4),
    Goods("870323", "Passenger cars, 1,500-3,000 cc", 9.0, (1200, 4500), 45, "JP JP US KR CN", "NAR", 8),
    Goods("870380", "Electric passenger cars", 16.0, (1500, 4000), 10, "CN US JP", "NAR", 3),
    Goods("870421", "Pick-ups and light trucks, diesel", 8.0, (1800, 5000), 30, "JP US TH", "NAR", 5),
    Goods("871120", "Motorcycles", 7.0, (150, 3000), 30, "JP CN IN", "NAR", 4),
    Goods("401110", "Car tyres", 4.0, (500, 8000), 20, "CN US TH"),
    Goods("252329", "Portland cement", 0.12, (10000, 25000), 15, "TT CO DO"),
    Goods("721420", "Reinforcing steel bars", 0.9, (8000, 25000), 5, "TT TR CN"),
    Goods("690721", "Ceramic floor tiles", 0.8, (4000, 22000), 20, "CN ES BR"),
    Goods("392510", "Plastic water tanks", 3.0, (300, 5000), 20, "US TT CN"),
    Goods("761010", "Aluminium doors and windows", 9.0, (300, 6000), 20, "CN US"),
    Goods("940690", "Prefabricated buildings", 2.5, (3000, 20000), 10, "US CN", weight=3),
    Goods("851713", "Smartphones", 250.0, (20, 800), 0, "CN CN US VN", "NAR"),
    Goods("847130", "Laptop computers", 120.0, (50, 1500), 0, "CN CN US", "NAR"),
    Goods("852872", "Television sets", 20.0, (200, 5000), 20, "CN MX KR", "NAR"),
    Goods("841510", "Air conditioners", 9.0, (300, 6000), 20, "CN US TH", "NAR"),
    Goods("841810", "Refrigerators", 5.0, (500, 8000), 20, "CN US MX", "NAR"),
    Goods("854143", "Solar panels", 4.0, (500, 10000), 0, "CN CN US"),
    Goods("850760", "Lithium-ion batteries", 20.0, (100, 3000), 5, "CN KR US"),
    Goods("300490", "Medicaments, packaged", 60.0, (50, 2000), 0, "US GB IN DE"),
    Goods("300241", "Vaccines", 400.0, (10, 200), 0, "US BE GB", weight=2),
    Goods("330499", "Cosmetics", 18.0, (50, 2000), 20, "US FR CN"),
    Goods("610910", "Cotton T-shirts", 14.0, (100, 4000), 20, "CN BD US"),
    Goods("640299", "Footwear", 16.0, (100, 3000), 20, "CN VN US"),
    Goods("940360", "Wooden furniture", 4.0, (500, 8000), 20, "CN US MY"),
    Goods("950300", "Toys", 8.0, (100, 4000), 20, "CN US"),
    Goods("271012", "Gasoline", 0.9, (10000, 25000), 0, "TT US", "LTR", 4),
    Goods("930510", "Pistol parts and accessories", 80.0, (5, 60), 40, "US US", "NAR", 1),
    Goods("930630", "Cartridges", 25.0, (20, 400), 40, "US", "NAR", 1),
]

POSTAL_GOODS: list[Goods] = [
    Goods("610910", "Clothing", 30.0, (0.3, 4), 20, "US CN GB"),
    Goods("640299", "Shoes", 35.0, (0.5, 3), 20, "US CN"),
    Goods("851713", "Mobile phone", 500.0, (0.2, 1), 0, "US CN", "NAR"),
    Goods("330499", "Cosmetics", 40.0, (0.2, 3), 20, "US FR"),
    Goods("300490", "Medicines", 120.0, (0.1, 2), 0, "US IN CN"),
    Goods("950300", "Toys", 20.0, (0.5, 4), 20, "CN US"),
    Goods("490199", "Books", 15.0, (0.5, 5), 0, "US GB"),
    Goods("847130", "Laptop", 300.0, (1, 3), 0, "US CN", "NAR"),
    Goods("930510", "Gun parts", 150.0, (0.3, 2), 40, "US", "NAR", 2),
    Goods("", "Gift", 25.0, (0.5, 5), 0, "US GB CA"),
]

# Trade partners' ports of loading by country (ports.csv), for the route.
LOADING_PORTS = {
    "US": ["USMIA", "USPEF"],
    "CN": ["CNSHA", "CNNGB"],
    "GB": ["GBFXT"],
    "NL": ["NLRTM"],
    "FR": ["FRLEH"],
    "TT": ["TTPOS", "TTPTS"],
    "PA": ["PAONX"],
    "DO": ["DOCAU"],
    "JM": ["JMKIN"],
}
# Transshipment: goods from elsewhere mostly come through these hubs.
HUB_PORTS = ["USMIA", "PAONX", "TTPOS", "JMKIN", "USPEF"]
CONTAINER_OWNERS = ["MSCU", "MAEU", "CMAU", "HLXU", "ZIMU", "SEGU", "TGHU", "CSQU", "SMLU", "OOLU"]
FLIGHTS = ["AA 1281", "BW 426", "B6 1763", "DL 1855", "BA 2159", "UA 1622", "LI 361", "WG 2910"]
COURIERS = ["DHL", "FEDEX", "UPS", "EMS", "ARAMEX"]
FIRST_NAMES = ["Marcia", "Kevin", "Shanice", "Andre", "Joanne", "Marlon", "Kimberly", "Dwayne", "Nadia", "Curtis"]
LAST_NAMES = ["Joseph", "Charles", "Baptiste", "Francis", "Alexander", "St. Rose", "Noel", "Harris", "Greene"]
SENDERS = ["Amazon.com", "eBay seller", "AliExpress", "Shein", "Walmart.com", "Family parcel", "Etsy seller"]
CURRENCY_PER_USD = {"XCD": 2.7, "BBD": 2.0, "USD": 1.0}
