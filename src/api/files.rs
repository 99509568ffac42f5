//! Run files: listing, and downloads through short-lived signed URLs.

use std::{path::Path, time::Duration};

use futures::StreamExt;
use reqwest::{Method, header};
use tokio::io::AsyncWriteExt;
use url::Url;

use super::{ApiError, Client, Repeat, types::RunFile};

/// Limit for downloading one file (large exports take a while).
const DOWNLOAD_TIMEOUT: Duration = Duration::from_secs(300);

impl Client {
    pub async fn run_files(&self, agent_id: i64, run_id: i64) -> Result<Vec<RunFile>, ApiError> {
        self.get_json(&format!("/api/v1/agent/{agent_id}/run/{run_id}/files"), &[])
            .await
    }

    /// The signed URL of a file: the `Location` of the download endpoint's redirect, read
    /// without following it. (Some deployments answer JSON `{url}` instead; that works too.)
    pub async fn file_download_url(
        &self,
        agent_id: i64,
        run_id: i64,
        file_id: i64,
    ) -> Result<Url, ApiError> {
        let path = format!("/api/v1/agent/{agent_id}/run/{run_id}/file/{file_id}/download");
        let timeout = self.options().request_timeout;
        let resp = self
            .send(Method::GET, &path, &[], None, Repeat::Safe, timeout)
            .await?;
        if resp.status().is_redirection() {
            let location = resp
                .headers()
                .get(header::LOCATION)
                .and_then(|v| v.to_str().ok())
                .ok_or_else(|| ApiError::Decode("download redirect without a Location".into()))?;
            return resp
                .url()
                .join(location)
                .map_err(|e| ApiError::Decode(format!("bad download Location: {e}")));
        }
        let body: serde_json::Value = self.decode_json(resp, timeout).await?;
        ["url", "downloadUrl", "redirectUrl"]
            .iter()
            .find_map(|k| body.get(*k).and_then(|v| v.as_str()))
            .and_then(|u| Url::parse(u).ok())
            .ok_or_else(|| ApiError::Decode("download answer carried no URL".into()))
    }

    /// Streams a signed URL to `dest` (written to a temporary name, then renamed, so a failed
    /// download never leaves a partial file behind). Returns the byte count. The request carries
    /// no Authorization header: signed URLs authenticate themselves, and storage hosts refuse
    /// (or leak) a foreign credential.
    pub async fn download_to(&self, url: &Url, dest: &Path) -> Result<u64, ApiError> {
        let io = |e: std::io::Error| ApiError::Network(format!("writing {}: {e}", dest.display()));
        let resp = self
            .storage()?
            .get(url.clone())
            .timeout(DOWNLOAD_TIMEOUT)
            .send()
            .await
            .map_err(|e| ApiError::from_reqwest(e, DOWNLOAD_TIMEOUT))?;
        if !resp.status().is_success() {
            let status = resp.status();
            let body = resp.bytes().await.unwrap_or_default();
            return Err(ApiError::from_response(status, None, &body));
        }
        // `<name>.partial` next to the target: appended, not replacing the extension, so two
        // downloads to `a.csv` and `a.json` never share a temporary file.
        let mut partial_name = dest.file_name().unwrap_or_default().to_os_string();
        partial_name.push(".partial");
        let partial = dest.with_file_name(partial_name);
        let written = match write_stream(resp, &partial).await {
            Ok(written) => written,
            Err(e) => {
                // Best effort: the original error matters more than a failed cleanup.
                let _ = tokio::fs::remove_file(&partial).await;
                return Err(match e {
                    WriteError::Io(e) => io(e),
                    WriteError::Http(e) => ApiError::from_reqwest(e, DOWNLOAD_TIMEOUT),
                });
            }
        };
        if let Err(e) = tokio::fs::rename(&partial, dest).await {
            let _ = tokio::fs::remove_file(&partial).await;
            return Err(io(e));
        }
        Ok(written)
    }
}

enum WriteError {
    Io(std::io::Error),
    Http(reqwest::Error),
}

/// Streams a response body into `path`, returning the byte count.
async fn write_stream(resp: reqwest::Response, path: &Path) -> Result<u64, WriteError> {
    let mut file = tokio::fs::File::from_std(crate::private::create(path).map_err(WriteError::Io)?);
    let mut stream = resp.bytes_stream();
    let mut written = 0u64;
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(WriteError::Http)?;
        file.write_all(&chunk).await.map_err(WriteError::Io)?;
        written += chunk.len() as u64;
    }
    file.flush().await.map_err(WriteError::Io)?;
    Ok(written)
}
