//! The countries an issuing organisation may be in, as Europass names them:
//! the EU's country authority table uses three-letter codes, kub.toml the
//! two-letter ones people know.

/// The EU and EEA countries, Switzerland, the United Kingdom and Ukraine:
/// two-letter code, the EU authority table's code, English name.
const COUNTRIES: &[(&str, &str, &str)] = &[
    ("AT", "AUT", "Austria"),
    ("BE", "BEL", "Belgium"),
    ("BG", "BGR", "Bulgaria"),
    ("CH", "CHE", "Switzerland"),
    ("CY", "CYP", "Cyprus"),
    ("CZ", "CZE", "Czechia"),
    ("DE", "DEU", "Germany"),
    ("DK", "DNK", "Denmark"),
    ("EE", "EST", "Estonia"),
    ("ES", "ESP", "Spain"),
    ("FI", "FIN", "Finland"),
    ("FR", "FRA", "France"),
    ("GB", "GBR", "United Kingdom"),
    ("GR", "GRC", "Greece"),
    ("HR", "HRV", "Croatia"),
    ("HU", "HUN", "Hungary"),
    ("IE", "IRL", "Ireland"),
    ("IS", "ISL", "Iceland"),
    ("IT", "ITA", "Italy"),
    ("LI", "LIE", "Liechtenstein"),
    ("LT", "LTU", "Lithuania"),
    ("LU", "LUX", "Luxembourg"),
    ("LV", "LVA", "Latvia"),
    ("MT", "MLT", "Malta"),
    ("NL", "NLD", "Netherlands"),
    ("NO", "NOR", "Norway"),
    ("PL", "POL", "Poland"),
    ("PT", "PRT", "Portugal"),
    ("RO", "ROU", "Romania"),
    ("SE", "SWE", "Sweden"),
    ("SI", "SVN", "Slovenia"),
    ("SK", "SVK", "Slovakia"),
    ("UA", "UKR", "Ukraine"),
];

/// A country kub can name in a Europass credential.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Country {
    /// The ISO 3166-1 two-letter code, such as `SE`.
    pub code: &'static str,
    /// The three-letter code of the EU's country authority table, such as `SWE`.
    pub authority_code: &'static str,
    /// The country's English name.
    pub name: &'static str,
}

impl Country {
    /// The country with this two-letter code, in either case.
    pub fn parse(code: &str) -> Option<Country> {
        COUNTRIES
            .iter()
            .find(|(two, _, _)| two.eq_ignore_ascii_case(code))
            .map(|&(code, authority_code, name)| Country { code, authority_code, name })
    }

    /// Every two-letter code kub knows, for "did you mean" hints.
    pub fn codes() -> impl Iterator<Item = &'static str> {
        COUNTRIES.iter().map(|(code, _, _)| *code)
    }

    /// The country a framework's default language points to, for the two
    /// Nordic municipalities kub is made for, when kub.toml names none.
    pub fn assumed_from_language(lang: crate::model::Lang) -> Option<Country> {
        match lang.code() {
            "sv" => Country::parse("SE"),
            "da" => Country::parse("DK"),
            _ => None,
        }
    }

    /// The concept in the EU's country authority table.
    pub fn authority_uri(self) -> String {
        format!("http://publications.europa.eu/resource/authority/country/{}", self.authority_code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_country_is_read_in_either_case_and_named_as_the_eu_table_does() {
        let sweden = Country::parse("se").unwrap();
        assert_eq!((sweden.code, sweden.authority_code), ("SE", "SWE"));
        assert_eq!(sweden.authority_uri(), "http://publications.europa.eu/resource/authority/country/SWE");
        assert_eq!(Country::parse("XX"), None);
    }
}
