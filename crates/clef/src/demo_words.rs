//! Word lists for realistic demo data: places, company names, people.
//! The lists are kept compact: `#[rustfmt::skip]`.

/// A country of the demo portfolio.
pub struct Country {
    pub code: &'static str,
    /// The country's name as subsidiaries use it ("Bertin Deutschland").
    pub local_name: &'static str,
    /// Relative weight in the portfolio.
    pub weight: u32,
    /// Regions with their cities (the first city is the most likely).
    pub regions: &'static [(&'static str, &'static [&'static str])],
    /// Legal forms appended to company names.
    pub legal_forms: &'static [&'static str],
    pub surnames: &'static [&'static str],
    /// First names, each with `true` for women.
    pub first_names: &'static [(&'static str, bool)],
    pub tld: &'static str,
    pub phone_prefix: &'static str,
}

#[rustfmt::skip]
pub const COUNTRIES: &[Country] = &[
    Country {
        code: "FR",
        local_name: "France",
        weight: 70,
        regions: &[
            ("Île-de-France", &["Paris", "Boulogne-Billancourt", "Nanterre", "Saint-Denis", "Versailles", "Créteil", "Argenteuil", "Massy"]),
            ("Auvergne-Rhône-Alpes", &["Lyon", "Grenoble", "Saint-Étienne", "Clermont-Ferrand", "Annecy", "Villeurbanne", "Valence", "Chambéry"]),
            ("Provence-Alpes-Côte d'Azur", &["Marseille", "Nice", "Toulon", "Aix-en-Provence", "Avignon", "Cannes"]),
            ("Occitanie", &["Toulouse", "Montpellier", "Nîmes", "Perpignan", "Béziers", "Albi"]),
            ("Nouvelle-Aquitaine", &["Bordeaux", "Limoges", "Poitiers", "La Rochelle", "Pau", "Bayonne", "Mérignac"]),
            ("Pays de la Loire", &["Nantes", "Angers", "Le Mans", "Saint-Nazaire", "Cholet", "La Roche-sur-Yon"]),
            ("Bretagne", &["Rennes", "Brest", "Quimper", "Lorient", "Vannes", "Saint-Malo"]),
            ("Hauts-de-France", &["Lille", "Amiens", "Roubaix", "Dunkerque", "Tourcoing", "Calais", "Valenciennes"]),
            ("Grand Est", &["Strasbourg", "Reims", "Metz", "Nancy", "Mulhouse", "Colmar", "Troyes"]),
            ("Normandie", &["Rouen", "Caen", "Le Havre", "Cherbourg-en-Cotentin", "Évreux", "Alençon"]),
            ("Bourgogne-Franche-Comté", &["Dijon", "Besançon", "Belfort", "Chalon-sur-Saône", "Auxerre", "Mâcon"]),
            ("Centre-Val de Loire", &["Orléans", "Tours", "Bourges", "Blois", "Chartres", "Châteauroux"]),
            ("Corse", &["Ajaccio", "Bastia"]),
        ],
        legal_forms: &["SAS", "SA", "SARL", "SAS", "SAS", "SNC", ""],
        surnames: &[
            "Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy", "Moreau",
            "Simon", "Laurent", "Lefebvre", "Michel", "Garcia", "David", "Bertrand", "Roux", "Vincent",
            "Fournier", "Morel", "Girard", "André", "Lefèvre", "Mercier", "Dupont", "Lambert", "Bonnet",
            "François", "Martinez", "Legrand", "Garnier", "Faure", "Rousseau", "Blanc", "Guérin", "Muller",
            "Henry", "Roussel", "Nicolas", "Perrin", "Morin", "Mathieu", "Clément", "Gauthier", "Dumont",
            "Lopez", "Fontaine", "Chevalier", "Robin", "Masson", "Sanchez", "Gérard", "Nguyen", "Boyer",
            "Denis", "Lemaire", "Duval", "Joly", "Gautier", "Roger", "Roche", "Roy", "Noël", "Meyer", "Lucas",
            "Meunier", "Jean", "Perez", "Marchand", "Dufour", "Blanchard", "Marie", "Barbier", "Brun", "Dumas",
            "Brunet", "Schmitt", "Leroux", "Colin", "Fernandez", "Pierre", "Renard", "Arnaud", "Rolland",
            "Caron", "Aubert", "Giraud", "Leclerc", "Vidal", "Bourgeois", "Renaud", "Lemoine", "Picard",
            "Gaillard", "Philippe", "Leclercq", "Lacroix", "Fabre", "Dupuis", "Olivier", "Rodriguez",
            "Da Silva", "Hubert", "Louis", "Charles", "Guillot", "Rivière", "Le Gall", "Guillaume", "Adam",
            "Rey", "Moulin", "Gonzalez", "Berger", "Lecomte", "Menard", "Fleury", "Deschamps", "Carpentier",
            "Julien", "Benoît", "Paris", "Maillard", "Marchal", "Aubry", "Vasseur", "Le Roux", "Renault",
            "Jacquet", "Collet", "Prévost", "Poirier", "Charpentier", "Royer", "Huet", "Baron", "Dupuy", "Pons",
            "Paul", "Laine", "Carré", "Breton", "Rémy", "Schneider", "Perrot", "Guyot", "Barré", "Marty",
            "Cousin", "Bertin", "Delmas", "Tessier", "Besson", "Lebrun", "Hamon", "Pasquier", "Cordier",
            "Germain", "Millet",
        ],
        first_names: &[
            ("Marie", true), ("Nathalie", true), ("Isabelle", true), ("Sylvie", true), ("Catherine", true),
            ("Sophie", true), ("Christine", true), ("Valérie", true), ("Sandrine", true), ("Céline", true),
            ("Julie", true), ("Aurélie", true), ("Camille", true), ("Émilie", true), ("Claire", true),
            ("Caroline", true), ("Anne", true), ("Laure", true), ("Hélène", true), ("Chloé", true),
            ("Manon", true), ("Léa", true), ("Pauline", true), ("Élodie", true), ("Virginie", true),
            ("Jean", false), ("Philippe", false), ("Michel", false), ("Alain", false), ("Patrick", false),
            ("Nicolas", false), ("Christophe", false), ("Pierre", false), ("Laurent", false),
            ("Stéphane", false), ("Frédéric", false), ("Éric", false), ("David", false), ("Julien", false),
            ("Sébastien", false), ("Thomas", false), ("Olivier", false), ("Vincent", false),
            ("François", false), ("Guillaume", false), ("Antoine", false), ("Maxime", false), ("Romain", false),
            ("Hugo", false), ("Benoît", false),
        ],
        tld: "fr",
        phone_prefix: "+33",
    },
    Country {
        code: "DE",
        local_name: "Deutschland",
        weight: 8,
        regions: &[
            ("Bavaria", &["Munich", "Nuremberg", "Augsburg", "Regensburg", "Ingolstadt"]),
            ("Baden-Württemberg", &["Stuttgart", "Karlsruhe", "Mannheim", "Freiburg im Breisgau", "Ulm"]),
            ("North Rhine-Westphalia", &["Cologne", "Düsseldorf", "Dortmund", "Essen", "Duisburg", "Bielefeld"]),
            (
                "Hesse",
                &["Frankfurt am Main", "Wiesbaden", "Kassel", "Darmstadt"],
            ),
            ("Hamburg", &["Hamburg"]),
            ("Berlin", &["Berlin"]),
            (
                "Lower Saxony",
                &["Hanover", "Brunswick", "Osnabrück", "Wolfsburg"],
            ),
            ("Saxony", &["Leipzig", "Dresden", "Chemnitz"]),
        ],
        legal_forms: &["GmbH", "GmbH", "AG", "GmbH & Co. KG", "KG"],
        surnames: &[
            "Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Schulz",
            "Hoffmann", "Schäfer", "Koch", "Bauer", "Richter", "Klein", "Wolf", "Schröder", "Neumann",
            "Schwarz", "Zimmermann", "Braun", "Krüger", "Hofmann", "Hartmann", "Lange", "Schmitt", "Werner",
            "Krause", "Meier", "Lehmann",
        ],
        first_names: &[
            ("Anna", true), ("Katrin", true), ("Sabine", true), ("Julia", true), ("Claudia", true),
            ("Petra", true), ("Stefanie", true), ("Lena", true), ("Andrea", true), ("Monika", true),
            ("Thomas", false), ("Michael", false), ("Andreas", false), ("Stefan", false), ("Markus", false),
            ("Christian", false), ("Jürgen", false), ("Klaus", false), ("Matthias", false), ("Lukas", false),
        ],
        tld: "de",
        phone_prefix: "+49",
    },
    Country {
        code: "BE",
        local_name: "Belgique",
        weight: 5,
        regions: &[
            ("Brussels-Capital", &["Brussels", "Anderlecht", "Ixelles"]),
            ("Flanders", &["Antwerp", "Ghent", "Bruges", "Leuven", "Mechelen", "Kortrijk"]),
            (
                "Wallonia",
                &["Liège", "Charleroi", "Namur", "Mons", "Wavre"],
            ),
        ],
        legal_forms: &["SA", "NV", "SRL", "BV"],
        surnames: &[
            "Peeters", "Janssens", "Maes", "Jacobs", "Mertens", "Willems", "Claes", "Goossens",
            "Wouters", "De Smet", "Dubois", "Lambert", "Dupont", "Martin", "Simon", "Leroy",
            "Lejeune", "Renard", "Hermans", "Michiels",
        ],
        first_names: &[
            ("Els", true), ("An", true), ("Sarah", true), ("Sophie", true), ("Marie", true), ("Lotte", true),
            ("Nathalie", true), ("Griet", true), ("Pieter", false), ("Jan", false), ("Luc", false),
            ("Marc", false), ("Koen", false), ("Olivier", false), ("Tom", false), ("Benoît", false),
        ],
        tld: "be",
        phone_prefix: "+32",
    },
    Country {
        code: "ES",
        local_name: "España",
        weight: 5,
        regions: &[
            (
                "Community of Madrid",
                &["Madrid", "Alcalá de Henares", "Getafe"],
            ),
            ("Catalonia", &["Barcelona", "L'Hospitalet de Llobregat", "Tarragona", "Girona"]),
            (
                "Valencian Community",
                &["Valencia", "Alicante", "Castellón de la Plana"],
            ),
            ("Andalusia", &["Seville", "Málaga", "Córdoba", "Granada"]),
            (
                "Basque Country",
                &["Bilbao", "San Sebastián", "Vitoria-Gasteiz"],
            ),
            ("Aragon", &["Zaragoza", "Huesca"]),
        ],
        legal_forms: &["S.A.", "S.L.", "S.L.", "S.A.U."],
        surnames: &[
            "García", "Fernández", "González", "Rodríguez", "López", "Martínez", "Sánchez", "Pérez", "Gómez",
            "Martín", "Jiménez", "Ruiz", "Hernández", "Díaz", "Moreno", "Álvarez", "Romero", "Navarro",
            "Torres", "Domínguez",
        ],
        first_names: &[
            ("María", true), ("Carmen", true), ("Lucía", true), ("Laura", true), ("Ana", true), ("Elena", true),
            ("Marta", true), ("Cristina", true), ("Antonio", false), ("José", false), ("Manuel", false),
            ("Javier", false), ("David", false), ("Carlos", false), ("Pablo", false), ("Alejandro", false),
        ],
        tld: "es",
        phone_prefix: "+34",
    },
    Country {
        code: "IT",
        local_name: "Italia",
        weight: 5,
        regions: &[
            (
                "Lombardy",
                &["Milan", "Bergamo", "Brescia", "Monza", "Como"],
            ),
            ("Piedmont", &["Turin", "Novara", "Alessandria"]),
            (
                "Emilia-Romagna",
                &["Bologna", "Modena", "Parma", "Reggio Emilia"],
            ),
            ("Lazio", &["Rome", "Latina"]),
            ("Tuscany", &["Florence", "Prato", "Pisa", "Livorno"]),
            (
                "Veneto",
                &["Verona", "Venice", "Padua", "Vicenza", "Treviso"],
            ),
            ("Campania", &["Naples", "Salerno"]),
        ],
        legal_forms: &["S.p.A.", "S.r.l.", "S.r.l.", "S.a.s."],
        surnames: &[
            "Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano", "Colombo", "Ricci",
            "Marino", "Greco", "Bruno", "Gallo", "Conti", "De Luca", "Mancini", "Costa",
            "Giordano", "Rizzo", "Lombardi", "Moretti",
        ],
        first_names: &[
            ("Giulia", true), ("Francesca", true), ("Chiara", true), ("Sara", true), ("Valentina", true),
            ("Elisa", true), ("Federica", true), ("Paola", true), ("Marco", false), ("Luca", false),
            ("Giuseppe", false), ("Andrea", false), ("Francesco", false), ("Alessandro", false),
            ("Matteo", false), ("Lorenzo", false),
        ],
        tld: "it",
        phone_prefix: "+39",
    },
    Country {
        code: "CH",
        local_name: "Suisse",
        weight: 2,
        regions: &[
            ("Zurich", &["Zurich", "Winterthur"]),
            ("Geneva", &["Geneva", "Carouge"]),
            ("Vaud", &["Lausanne", "Montreux", "Yverdon-les-Bains"]),
            ("Basel-Stadt", &["Basel"]),
            ("Bern", &["Bern", "Biel/Bienne", "Thun"]),
        ],
        legal_forms: &["AG", "SA", "GmbH", "Sàrl"],
        surnames: &[
            "Müller", "Meier", "Schmid", "Keller", "Weber", "Huber", "Schneider", "Meyer", "Steiner", "Fischer",
            "Favre", "Rochat", "Bonvin", "Perret", "Gerber", "Baumann",
        ],
        first_names: &[
            ("Laura", true), ("Sandra", true), ("Nicole", true), ("Corinne", true), ("Anna", true),
            ("Léa", true), ("Daniel", false), ("Peter", false), ("Martin", false), ("Reto", false),
            ("Urs", false), ("Nicolas", false),
        ],
        tld: "ch",
        phone_prefix: "+41",
    },
    Country {
        code: "GB",
        local_name: "UK",
        weight: 3,
        regions: &[
            ("Greater London", &["London", "Croydon", "Wembley"]),
            (
                "North West England",
                &["Manchester", "Liverpool", "Preston"],
            ),
            (
                "West Midlands",
                &["Birmingham", "Coventry", "Wolverhampton"],
            ),
            (
                "Yorkshire and the Humber",
                &["Leeds", "Sheffield", "Bradford", "Hull"],
            ),
            ("Scotland", &["Glasgow", "Edinburgh", "Aberdeen"]),
            ("South West England", &["Bristol", "Plymouth", "Exeter"]),
        ],
        legal_forms: &["Ltd", "Ltd", "plc", "LLP"],
        surnames: &[
            "Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies",
            "Robinson", "Wright", "Thompson", "Evans", "Walker", "White", "Roberts", "Green",
            "Hall", "Wood", "Jackson", "Clarke",
        ],
        first_names: &[
            ("Sarah", true), ("Emma", true), ("Claire", true), ("Rachel", true), ("Helen", true),
            ("Charlotte", true), ("Olivia", true), ("Emily", true), ("James", false), ("David", false),
            ("Paul", false), ("Andrew", false), ("Richard", false), ("Mark", false), ("Oliver", false),
            ("Daniel", false),
        ],
        tld: "co.uk",
        phone_prefix: "+44",
    },
    Country {
        code: "NL",
        local_name: "Nederland",
        weight: 2,
        regions: &[
            ("North Holland", &["Amsterdam", "Haarlem", "Zaandam"]),
            (
                "South Holland",
                &["Rotterdam", "The Hague", "Leiden", "Delft"],
            ),
            ("Utrecht", &["Utrecht", "Amersfoort"]),
            (
                "North Brabant",
                &["Eindhoven", "Tilburg", "Breda", "'s-Hertogenbosch"],
            ),
        ],
        legal_forms: &["B.V.", "B.V.", "N.V."],
        surnames: &[
            "de Jong", "Jansen", "de Vries", "van den Berg", "van Dijk", "Bakker", "Janssen", "Visser", "Smit",
            "Meijer", "de Boer", "Mulder", "de Groot", "Bos", "Vos", "Peters",
        ],
        first_names: &[
            ("Anne", true), ("Sanne", true), ("Lisa", true), ("Femke", true), ("Eva", true), ("Marieke", true),
            ("Jan", false), ("Pieter", false), ("Dirk", false), ("Sander", false), ("Bas", false),
            ("Joost", false),
        ],
        tld: "nl",
        phone_prefix: "+31",
    },
];

/// Industries, each with French and English sector words used in names.
pub struct Industry {
    pub name: &'static str,
    /// Words naming the trade, as in "Groupe Bertin Industries".
    pub fr_words: &'static [&'static str],
    pub en_words: &'static [&'static str],
    /// French feminine trade nouns that take a regional adjective
    /// ("Laiterie Normande").
    pub fr_trades: &'static [&'static str],
}

#[rustfmt::skip]
pub const INDUSTRIES: &[Industry] = &[
    Industry {
        name: "Agri-food",
        fr_words: &["Alimentaire", "Agroalimentaire", "Distribution", "Foods"],
        en_words: &["Foods", "Food Group", "Dairy", "Bakeries"],
        fr_trades: &[
            "Laiterie", "Fromagerie", "Biscuiterie", "Chocolaterie", "Conserverie", "Brasserie", "Minoterie",
            "Charcuterie", "Distillerie", "Coopérative",
        ],
    },
    Industry {
        name: "Manufacturing",
        fr_words: &["Industries", "Mécanique", "Usinage", "Équipements"],
        en_words: &["Industries", "Engineering", "Manufacturing", "Components"],
        fr_trades: &["Fonderie", "Chaudronnerie", "Mécanique", "Robinetterie", "Tôlerie"],
    },
    Industry {
        name: "Logistics",
        fr_words: &["Transports", "Logistique", "Messagerie", "Fret"],
        en_words: &["Logistics", "Haulage", "Freight", "Transport"],
        fr_trades: &["Compagnie", "Société"],
    },
    Industry {
        name: "Construction",
        fr_words: &["Construction", "Bâtiment", "Travaux Publics", "Matériaux"],
        en_words: &["Construction", "Building Materials", "Contractors"],
        fr_trades: &["Menuiserie", "Charpenterie", "Société"],
    },
    Industry {
        name: "Retail",
        fr_words: &["Distribution", "Commerce", "Magasins"],
        en_words: &["Retail", "Stores", "Trading"],
        fr_trades: &["Société", "Coopérative", "Compagnie"],
    },
    Industry {
        name: "Chemicals",
        fr_words: &["Chimie", "Polymères", "Peintures"],
        en_words: &["Chemicals", "Coatings", "Polymers"],
        fr_trades: &["Société", "Compagnie"],
    },
    Industry {
        name: "Healthcare",
        fr_words: &["Santé", "Pharma", "Médical", "Laboratoires"],
        en_words: &["Healthcare", "Pharma", "Medical", "Laboratories"],
        fr_trades: &["Pharmacie", "Société"],
    },
    Industry {
        name: "Packaging",
        fr_words: &["Emballages", "Cartonnages", "Conditionnement"],
        en_words: &["Packaging", "Containers"],
        fr_trades: &["Cartonnerie", "Papeterie", "Verrerie"],
    },
    Industry {
        name: "Energy",
        fr_words: &["Énergies", "Énergie", "Services Énergétiques"],
        en_words: &["Energy", "Power", "Utilities"],
        fr_trades: &["Compagnie", "Société"],
    },
    Industry {
        name: "Automotive",
        fr_words: &["Automobiles", "Équipementier", "Poids Lourds"],
        en_words: &["Automotive", "Motors", "Vehicle Parts"],
        fr_trades: &["Carrosserie", "Société"],
    },
    Industry {
        name: "Textiles",
        fr_words: &["Textiles", "Confection", "Mode"],
        en_words: &["Textiles", "Apparel", "Fabrics"],
        fr_trades: &["Filature", "Bonneterie", "Tannerie", "Ganterie"],
    },
    Industry {
        name: "Printing & Media",
        fr_words: &["Imprimerie", "Éditions", "Communication"],
        en_words: &["Print", "Media", "Publishing"],
        fr_trades: &["Imprimerie", "Papeterie"],
    },
];

/// French regional adjectives (feminine) for names like "Laiterie Normande".
#[rustfmt::skip]
pub const FR_ADJECTIVES: &[&str] = &[
    "Normande", "Bretonne", "Alsacienne", "Savoyarde", "Provençale", "Lorraine", "Picarde", "Champenoise",
    "Auvergnate", "Basque", "Dauphinoise", "Lyonnaise", "Bourguignonne", "Ardennaise", "Landaise", "Vendéenne",
    "Angevine", "Tourangelle", "Comtoise", "Gasconne", "Cévenole", "Charentaise", "Flamande", "Jurassienne",
    "Parisienne", "Méridionale", "Atlantique", "Occitane", "Ligérienne", "Rhodanienne",
];

/// Syllables of invented brand names ("Technova", "Agrilis").
#[rustfmt::skip]
pub const BRAND_HEADS: &[&str] = &[
    "Techn", "Agr", "Hex", "Nov", "Alt", "Eur", "Sol", "Ver", "Lum", "Cap", "Prim", "Astr", "Oct",
    "Orb", "Sig", "Val", "Terr", "Aqu", "Ciel", "Flex", "Inn", "Merc", "Neo", "Opt", "Pol",
    "Quant", "Synth", "Vit", "Xyl", "Zen",
];
#[rustfmt::skip]
pub const BRAND_TAILS: &[&str] = &[
    "ova", "ilis", "alia", "eo", "ix", "ys", "ance", "era", "ium", "on", "is", "ane", "ea", "ivo",
    "ora", "elis", "iane", "ys", "ax", "ens",
];

/// French prefixes of family businesses.
#[rustfmt::skip]
pub const FR_FAMILY_PREFIXES: &[&str] = &["Établissements", "Ets", "Maison", "Groupe", "Société"];
#[rustfmt::skip]
pub const FR_FAMILY_SUFFIXES: &[&str] = &["& Fils", "Frères", "et Associés", "Père et Fils"];

/// Group name patterns beyond "Groupe {name}".
#[rustfmt::skip]
pub const GROUP_SUFFIXES: &[&str] = &[
    "Holding", "Group", "Participations", "International", "Industries", "Partners",
];

#[rustfmt::skip]
pub const SEGMENTS: &[&str] = &["Strategic", "Growth", "Core", "Maintain", "Opportunistic"];

/// Job titles: (French for a man, French for a woman, English).
#[rustfmt::skip]
pub const JOB_TITLES: &[(&str, &str, &str)] = &[
    (
        "Directeur des achats", "Directrice des achats", "Head of Procurement",
    ),
    ("Acheteur", "Acheteuse", "Buyer"),
    ("Acheteur senior", "Acheteuse senior", "Senior Buyer"),
    (
        "Responsable logistique", "Responsable logistique", "Logistics Manager",
    ),
    (
        "Directeur financier", "Directrice financière", "Chief Financial Officer",
    ),
    (
        "Directeur général", "Directrice générale", "Managing Director",
    ),
    ("Directeur d'usine", "Directrice d'usine", "Plant Manager"),
    (
        "Responsable qualité", "Responsable qualité", "Quality Manager",
    ),
    (
        "Directeur des opérations", "Directrice des opérations", "Operations Director",
    ),
    (
        "Responsable supply chain", "Responsable supply chain", "Supply Chain Manager",
    ),
    (
        "Contrôleur de gestion", "Contrôleuse de gestion", "Financial Controller",
    ),
    (
        "Responsable des services généraux", "Responsable des services généraux", "Facilities Manager",
    ),
    (
        "Directeur technique", "Directrice technique", "Technical Director",
    ),
    (
        "Assistant de direction", "Assistante de direction", "Executive Assistant",
    ),
];

#[rustfmt::skip]
pub const NOTES: &[&str] = &[
    "Appel d'offres prévu au prochain trimestre.", "Renouvellement du contrat cadre en cours de négociation.",
    "Client sensible aux délais de livraison.", "Nouveau directeur des achats depuis janvier, à rencontrer.",
    "Souhaite un référencement sur l'ensemble de ses sites.", "Concurrent agressif sur les prix, vigilance.",
    "Excellent relationnel avec l'équipe technique.", "Audit qualité programmé, préparer les certificats.",
    "Framework agreement renewal due next year.", "Interested in a group-wide deal covering all plants.",
    "Payment delays reported by finance; follow up.", "Strong sponsor at board level.",
];
