//! Secrets given to the command line without being in the command line, which every
//! account on the computer can read (`ps`): from a file, an environment variable (only
//! this account can read a process's environment), or typed at a terminal without echo.

use std::io::IsTerminal;
use std::path::Path;

use crate::CliError;

/// Where one secret may come from.
pub struct Source<'a> {
    /// The `--…-file` given, if any.
    pub file: Option<&'a Path>,
    /// The environment variable that may hold it.
    pub env: &'static str,
    /// What to ask on a terminal, when neither gives it.
    pub prompt: &'a str,
}

impl Source<'_> {
    /// The secret from the file, else the environment.
    pub fn given(&self) -> Result<Option<String>, CliError> {
        if let Some(path) = self.file {
            return tend::secrets::from_file(path)
                .map(Some)
                .map_err(CliError::Usage);
        }
        Ok(std::env::var(self.env).ok().filter(|v| !v.is_empty()))
    }

    /// Asks for the secret when a person sits at a terminal; `None` otherwise, or when
    /// they type nothing.
    pub fn ask(&self) -> Result<Option<String>, CliError> {
        if !std::io::stdin().is_terminal() {
            return Ok(None);
        }
        let typed = rpassword::prompt_password(self.prompt)
            .map_err(|e| CliError::Usage(format!("cannot read the answer: {e}")))?;
        Ok(Some(typed).filter(|t| !t.is_empty()))
    }
}
