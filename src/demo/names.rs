//! Name, place and topic pools for the demo community: a dozen countries, several scripts.

/// A country with its language and name pools.
pub struct CountryPool {
    /// Country name.
    pub country: &'static str,
    /// ISO 639-1 language most members there prefer.
    pub language: &'static str,
    /// Given names.
    pub given: &'static [&'static str],
    /// Family names.
    pub family: &'static [&'static str],
    /// Whether the family name is written first.
    pub family_first: bool,
}

const fn pool(
    country: &'static str,
    language: &'static str,
    given: &'static [&'static str],
    family: &'static [&'static str],
    family_first: bool,
) -> CountryPool {
    CountryPool {
        country,
        language,
        given,
        family,
        family_first,
    }
}

/// The demo's countries.
pub const COUNTRIES: &[CountryPool] = &[
    pool(
        "Kenya",
        "en",
        &["Wanjiru", "Otieno", "Achieng", "Kamau", "Njeri", "Kiprop"],
        &["Kamau", "Ochieng", "Mwangi", "Wafula", "Chebet", "Odhiambo"],
        false,
    ),
    pool(
        "Nigeria",
        "en",
        &["Ngozi", "Chinedu", "Aisha", "Tunde", "Folake", "Emeka"],
        &[
            "Okonkwo-Adébáyọ̀",
            "Eze",
            "Bello",
            "Adeyemi",
            "Okafor",
            "Danjuma",
        ],
        false,
    ),
    pool(
        "Senegal",
        "fr",
        &["Aminata", "Moussa", "Fatou", "Cheikh", "Awa", "Ibrahima"],
        &["Diallo", "Ndiaye", "Sow", "Fall", "Diop", "Sarr"],
        false,
    ),
    pool(
        "France",
        "fr",
        &["Camille", "Julien", "Élodie", "Thomas", "Léa", "Mathieu"],
        &[
            "Martin", "Lefèvre", "Moreau", "Girard", "Rousseau", "Fontaine",
        ],
        false,
    ),
    pool(
        "Mexico",
        "es",
        &["José", "María", "Guadalupe", "Alejandro", "Ximena", "Luis"],
        &["Núñez", "Hernández", "García", "López", "Ramírez", "Cruz"],
        false,
    ),
    pool(
        "Peru",
        "es",
        &["Rosa", "Jorge", "Lucía", "César", "Milagros", "Raúl"],
        &["Quispe", "Mamani", "Flores", "Huamán", "Rojas", "Vargas"],
        false,
    ),
    pool(
        "Viet Nam",
        "vi",
        &[
            "Thị Hương",
            "Văn Nam",
            "Thị Lan",
            "Minh Tuấn",
            "Anh Mai",
            "Thu Hà",
        ],
        &["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Đỗ"],
        true,
    ),
    pool(
        "India",
        "en",
        &["Priya", "Rahul", "Ananya", "Vikram", "Deepa", "Arjun"],
        &["Sharma", "Iyer", "Reddy", "Banerjee", "Patel", "Nair"],
        false,
    ),
    pool(
        "Ukraine",
        "uk",
        &["Олена", "Дмитро", "Іван", "Наталія", "Андрій", "Ірина"],
        &[
            "Коваленко",
            "Іваненко",
            "Шевченко",
            "Бондаренко",
            "Ткаченко",
            "Мельник",
        ],
        false,
    ),
    pool(
        "Jordan",
        "ar",
        &["محمد", "فاطمة", "أحمد", "ليلى", "عمر", "نور"],
        &["عبد الله", "الحسن", "خليل", "النجار", "حداد", "سليمان"],
        false,
    ),
    pool(
        "China",
        "zh",
        &["小龙", "芳", "伟", "静", "磊", "敏"],
        &["李", "王", "张", "刘", "陈", "杨"],
        true,
    ),
    pool(
        "Brazil",
        "pt",
        &["João", "Ana", "Thiago", "Beatriz", "Rafael", "Luíza"],
        &[
            "Silva",
            "Santos",
            "Oliveira",
            "Souza",
            "Conceição",
            "Araújo",
        ],
        false,
    ),
];

/// Organisations members work for, with their mail domains.
pub const ORGANISATIONS: &[(&str, &str)] = &[
    ("UNICEF", "unicef.example.org"),
    ("WaterAid", "wateraid.example.org"),
    ("IFRC", "ifrc.example.org"),
    ("Save the Children", "savethechildren.example.org"),
    ("Ministry of Water", "water.example.gov"),
    ("Oxfam", "oxfam.example.org"),
    ("Practical Action", "practicalaction.example.org"),
];

/// Topics of the practice that questions and posts are about.
pub const TOPICS: &[&str] = &[
    "handwashing stations in schools",
    "chlorine dosing at household level",
    "community-led total sanitation",
    "menstrual hygiene kits",
    "borehole maintenance committees",
    "WASH in health-care facilities",
    "cholera preparedness",
    "monitoring water quality with field kits",
    "behaviour change messaging",
    "latrine designs for flood areas",
    "working with local water vendors",
    "exit plans for emergency water trucking",
];

/// Shapes of thread titles; `{}` is a topic.
pub const TITLES: &[&str] = &[
    "How do you handle {} in rural districts?",
    "Looking for examples of {}",
    "Lessons learned: {}",
    "Any templates for {}?",
    "Question about {} during the rainy season",
    "Sharing our toolkit on {}",
    "Who has evaluated {}?",
];

/// The demo's spaces: name, kind, and share of new threads started there.
pub const SPACES: &[(&str, &str, u32)] = &[
    ("introductions", "channel", 0),
    ("questions", "channel", 50),
    ("general", "channel", 25),
    ("resources", "channel", 15),
    ("field-stories", "channel", 10),
    ("Monthly practice webinar", "event", 0),
];
