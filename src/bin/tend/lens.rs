//! The period and segment that `tend health`, `tend chart` and `tend report` look at, as
//! one set of flags; the core parses and checks them (`PeriodChoice`, `Segment`).

use clap::Args;
use tend::health::{Lens, PeriodChoice, Segment};
use tend::words::Lang;
use tend::{time, Error};

/// `--period`, `--from`, `--to`, `--days`, `--segment`.
#[derive(Args, Debug)]
pub struct LensArgs {
    /// A named period: last-7-days, last-30-days, last-90-days, this-month, last-month,
    /// this-quarter, this-year, or FROM..TO (YYYY-MM-DD..YYYY-MM-DD).
    #[arg(long, conflicts_with_all = ["from", "days"])]
    period: Option<String>,
    /// First day, YYYY-MM-DD (default: --days days up to --to).
    #[arg(long)]
    from: Option<String>,
    /// Last day included, YYYY-MM-DD (default: today).
    #[arg(long)]
    to: Option<String>,
    /// Days in the period when --from is not given (default 30).
    #[arg(long, conflicts_with = "from")]
    days: Option<i64>,
    /// Narrow to a segment: space=NAME, country=C, organisation=O, role=R, cohort=YYYY-MM
    /// (values matched whatever their case and accents). Repeat it to combine: values of
    /// one key are alternatives, different keys must all hold.
    #[arg(long)]
    segment: Vec<String>,
}

impl LensArgs {
    /// The lens these flags choose (today being today, UTC).
    pub fn lens(&self) -> Result<Lens, Error> {
        let today = time::today();
        let period = PeriodChoice::from_args(
            self.period.as_deref(),
            self.from.as_deref(),
            self.to.as_deref(),
            self.days,
            today,
        )?
        .resolve(today)?;
        let segment = self
            .segment
            .iter()
            .map(|s| s.parse::<Segment>())
            .collect::<Result<_, _>>()?;
        Ok(Lens { period, segment })
    }
}

/// `--lang`: the language of charts and reports.
#[derive(Args, Debug)]
pub struct LangArg {
    /// Language of the words drawn: en, fr or es (default: en).
    #[arg(long, default_value = "en")]
    lang: String,
}

impl LangArg {
    /// The language chosen; an unknown code is refused rather than drawn in English.
    pub fn lang(&self) -> Result<Lang, Error> {
        let lang = Lang::of(&self.lang);
        if lang.code() != self.lang.trim().to_ascii_lowercase() {
            return Err(Error::InvalidValue {
                field: "lang",
                value: self.lang.clone(),
                expected: "en, fr or es",
            });
        }
        Ok(lang)
    }
}
