//! Live, incremental sync from a Discourse forum's REST API: pages through `/latest.json`
//! from the newest activity back to the last sync's cursor, fetches each changed topic
//! (`/t/{id}.json`) and the posts its first page leaves out (`/posts/{id}.json`), and
//! imports them exactly as saved files are imported, in one transaction.

use std::time::Instant;

use serde_json::Value;

use super::discourse;
use super::error::ImportError;
use super::writer::Writer;
use super::{FileReport, ImportKind, Progress};
use crate::settings;
use crate::store::Store;

/// A forum and the credentials to read it.
#[derive(Debug, Clone)]
pub struct Site {
    /// Base URL, such as `https://forum.example.org`.
    pub url: String,
    /// An API key (`Api-Key` header), for private forums.
    pub api_key: Option<String>,
    /// The user the key acts as (`Api-Username` header).
    pub api_user: Option<String>,
}

/// Pages read at most in one sync, so a wrong cursor cannot loop for ever.
const MAX_PAGES: u32 = 1000;

impl Site {
    fn base(&self) -> &str {
        self.url.trim_end_matches('/')
    }

    /// The source's name: the forum's host.
    pub fn host(&self) -> String {
        let rest = self.base().split("://").nth(1).unwrap_or(self.base());
        rest.split('/').next().unwrap_or(rest).to_string()
    }

    /// Refuses an address that would send the key in clear: `https` only, `http` for a
    /// forum on this machine (loopback) alone.
    pub fn check(&self) -> Result<(), ImportError> {
        let base = self.base();
        let host = self.host();
        let name = host.rsplit_once(':').map_or(host.as_str(), |(h, p)| {
            if p.bytes().all(|b| b.is_ascii_digit()) {
                h
            } else {
                host.as_str()
            }
        });
        let ip = name.trim_start_matches('[').trim_end_matches(']');
        let loopback = name == "localhost"
            || ip
                .parse::<std::net::IpAddr>()
                .is_ok_and(|a| a.is_loopback());
        let ok = base.starts_with("https://") || (base.starts_with("http://") && loopback);
        if ok && !host.is_empty() {
            return Ok(());
        }
        Err(ImportError::Http {
            url: base.to_string(),
            message: "only https:// addresses are used (http:// only for a forum on this machine), so the API key never travels in clear".into(),
        })
    }

    fn cursor_key(&self) -> String {
        format!("discourse_cursor:{}", self.base())
    }

    /// GETs `path` and parses it as JSON (blocking; call from a blocking task).
    fn get(&self, agent: &ureq::Agent, path: &str) -> Result<Value, ImportError> {
        let url = format!("{}{path}", self.base());
        let mut req = agent.get(&url).header("Accept", "application/json");
        if let Some(k) = &self.api_key {
            req = req.header("Api-Key", k);
        }
        if let Some(u) = &self.api_user {
            req = req.header("Api-Username", u);
        }
        let http = |message: String| ImportError::Http {
            url: url.clone(),
            message,
        };
        let mut response = req.call().map_err(|e| http(e.to_string()))?;
        if response.status().is_redirection() {
            // Never followed: the key would go wherever the forum points.
            let to = response
                .headers()
                .get("location")
                .and_then(|v| v.to_str().ok())
                .unwrap_or("elsewhere");
            return Err(http(format!(
                "the forum redirects to {to}; give that address instead (redirects are not followed, so the API key goes only where you said)"
            )));
        }
        let body = response
            .body_mut()
            .with_config()
            .limit(crate::limits::MAX_HTTP_BYTES)
            .read_to_string()
            .map_err(|e| http(e.to_string()))?;
        serde_json::from_str(&body)
            .map_err(|e| ImportError::json(&url, &e, "a Discourse API JSON response"))
    }
}

async fn fetch(site: &Site, agent: &ureq::Agent, path: String) -> Result<Value, ImportError> {
    let (site, agent) = (site.clone(), agent.clone());
    tokio::task::spawn_blocking(move || site.get(&agent, &path))
        .await
        .map_err(|e| ImportError::Http {
            url: String::new(),
            message: e.to_string(),
        })?
}

/// Syncs everything that changed on the forum since the last sync.
pub async fn sync(
    store: &Store,
    site: &Site,
    progress: &dyn Progress,
) -> Result<FileReport, ImportError> {
    let started = Instant::now();
    site.check()?;
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(crate::limits::HTTP_TIMEOUT))
        .max_redirects(0)
        .build()
        .into();
    let cursor = settings::get(store, &site.cursor_key()).await?;
    let mut w = Writer::begin(store, ImportKind::Discourse.as_str(), &site.host(), false).await?;
    let mut newest = cursor.clone();
    progress.start(0);
    'pages: for page in 0..MAX_PAGES {
        let list = fetch(
            site,
            &agent,
            format!("/latest.json?order=activity&page={page}"),
        )
        .await?;
        let topics = list
            .pointer("/topic_list/topics")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        if topics.is_empty() {
            break;
        }
        for t in &topics {
            if progress.cancelled() {
                return Err(ImportError::Cancelled(site.url.clone().into()));
            }
            let bumped = t
                .get("bumped_at")
                .and_then(Value::as_str)
                .map(str::to_string);
            let pinned = t.get("pinned").and_then(Value::as_bool).unwrap_or(false);
            if !pinned && bumped.is_some() && bumped <= cursor {
                break 'pages;
            }
            let Some(id) = t.get("id").and_then(Value::as_i64) else {
                continue;
            };
            sync_topic(site, &agent, &mut w, id).await?;
            newest = newest.max(bumped);
            progress.advance(1);
        }
        if list
            .pointer("/topic_list/more_topics_url")
            .is_none_or(Value::is_null)
        {
            break;
        }
    }
    let (counts, skipped) = w.finish().await?;
    if let Some(n) = &newest {
        settings::set(store, &site.cursor_key(), Some(n)).await?;
    }
    let millis = started.elapsed().as_millis() as u64;
    Ok(FileReport::new(
        site.url.clone(),
        ImportKind::Discourse,
        counts,
        skipped,
        millis,
    ))
}

/// One topic: its first page of posts, then each post the page left out.
async fn sync_topic(
    site: &Site,
    agent: &ureq::Agent,
    w: &mut Writer,
    id: i64,
) -> Result<(), ImportError> {
    let path = format!("/t/{id}.json");
    let topic = fetch(site, agent, path.clone()).await?;
    let label = format!("{}{path}", site.base());
    let inline: Vec<i64> = topic
        .pointer("/post_stream/posts")
        .and_then(Value::as_array)
        .map(|ps| {
            ps.iter()
                .filter_map(|p| p.get("id").and_then(Value::as_i64))
                .collect()
        })
        .unwrap_or_default();
    let stream: Vec<i64> = topic
        .pointer("/post_stream/stream")
        .and_then(Value::as_array)
        .map(|s| s.iter().filter_map(Value::as_i64).collect())
        .unwrap_or_default();
    discourse::import_document(w, &label, topic, &Default::default()).await?;
    // The first page holds the stream's first posts; fetch the rest (never one already held).
    for post_id in stream
        .into_iter()
        .skip(inline.len())
        .filter(|p| !inline.contains(p))
    {
        let path = format!("/posts/{post_id}.json");
        let post = fetch(site, agent, path.clone()).await?;
        let at = format!("{}{path}", site.base());
        if post.get("topic_id").and_then(Value::as_i64) != Some(id) {
            w.skip(
                at,
                format!("the forum answered with a post of another topic (expected topic {id})"),
            );
            continue;
        }
        discourse::import_document(w, &at, post, &Default::default()).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::Site;

    fn site(url: &str) -> Site {
        Site {
            url: url.into(),
            api_key: Some("secret-key".into()),
            api_user: None,
        }
    }

    #[test]
    fn the_key_travels_only_over_https_or_to_this_machine() {
        for ok in [
            "https://forum.example.org",
            "http://127.0.0.1:8080",
            "http://localhost:3000/",
        ] {
            assert!(site(ok).check().is_ok(), "{ok}");
        }
        for bad in [
            "http://forum.example.org",
            "ftp://forum.example.org",
            "forum.example.org",
            "http://127.0.0.1.evil.org",
        ] {
            let err = site(bad).check().expect_err(bad).to_string();
            assert!(
                err.contains("https") && !err.contains("secret-key"),
                "{bad}: {err}"
            );
        }
    }
}
