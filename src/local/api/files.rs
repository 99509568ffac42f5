//! Run files: the listing, the download redirect, and the signed storage URL it points to.
//!
//! `GET .../file/{fileId}/download` answers 302 to `<storage origin>/storage/<token>`, a
//! short-lived URL that authenticates itself, on the engine's second listener. `/storage/<token>` needs no credential and refuses one: a
//! client that sends its API key there is doing something unsafe elsewhere too, so it is told
//! (400) rather than served.

use axum::{
    Json,
    body::Body,
    extract::{Path, State},
    http::{HeaderMap, StatusCode, header},
    response::{IntoResponse, Response},
};
use tokio::io::AsyncReadExt;
use tokio_util::io::ReaderStream;

use super::{
    Answer, AppState, Failure, existing_run,
    live_file::{self, live_file, live_run_id},
    parse_id,
};
use crate::{api::types::RunFile, local::signing::TokenError};

pub(super) async fn list(
    State(state): State<AppState>,
    Path((agent_id, run_id)): Path<(String, String)>,
) -> Answer<Json<Vec<RunFile>>> {
    let run = existing_run(&state, &agent_id, &run_id)?;
    let files = state.store.files(run.id)?;
    Ok(Json(
        files
            .into_iter()
            .map(|f| f.file)
            .chain(live_file(&run))
            .collect(),
    ))
}

pub(super) async fn download(
    State(state): State<AppState>,
    Path((agent_id, run_id, file_id)): Path<(String, String, String)>,
) -> Answer<Response> {
    let run = existing_run(&state, &agent_id, &run_id)?;
    let file_id = parse_id(&file_id, "file")?;
    if live_run_id(file_id).is_some() {
        if live_file(&run).is_none_or(|f| f.id != file_id) {
            return Err(live_file::ended(run.id));
        }
        return redirect(&state, file_id);
    }
    let file = state
        .store
        .file(file_id)?
        .filter(|f| f.run_id == run.id)
        .ok_or_else(|| {
            Failure::not_found(
                "file-not-found",
                "File not found",
                format!(
                    "Run {} has no file {file_id}; list the run's files to find the right id.",
                    run.id
                ),
            )
        })?;
    redirect(&state, file.file.id)
}

/// The answer that sends a client to the signed storage URL of `file_id`.
fn redirect(state: &AppState, file_id: i64) -> Answer<Response> {
    let token = state.signer.sign(file_id);
    let location = state
        .storage_url
        .join(&format!("storage/{token}"))
        .map_err(|e| {
            Failure::Message(
                StatusCode::INTERNAL_SERVER_ERROR,
                format!("could not build the download URL: {e}"),
            )
        })?;
    Ok((
        StatusCode::FOUND,
        [(header::LOCATION, location.to_string())],
    )
        .into_response())
}

pub(super) async fn storage(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(token): Path<String>,
) -> Answer<Response> {
    if headers.contains_key(header::AUTHORIZATION) {
        return Err(Failure::bad_request(
            "Signed download URLs take no Authorization header; send the request without credentials (the URL itself grants access).",
        ));
    }
    let file_id = state.signer.verify(&token).map_err(|e| {
        let slug = match e {
            TokenError::Expired => "download-link-expired",
            TokenError::Malformed | TokenError::BadSignature => "download-link-invalid",
        };
        Failure::problem(
            StatusCode::FORBIDDEN,
            slug,
            "Download link refused",
            e.to_string(),
        )
    })?;
    if let Some(run_id) = live_run_id(file_id) {
        return live_file::serve(&state, run_id);
    }
    let gone = || {
        Failure::not_found(
            "file-not-found",
            "File not found",
            "The file behind this link no longer exists (its run was deleted or restarted).",
        )
    };
    let file = state.store.file(file_id)?.ok_or_else(gone)?;
    let handle = tokio::fs::File::open(&file.path)
        .await
        .map_err(|_| gone())?;
    let size = handle
        .metadata()
        .await
        .map(|m| m.len())
        .map_err(|_| gone())?;
    let name = file.file.name.clone().unwrap_or_else(|| "download".into());
    let content_type = match name.rsplit('.').next() {
        Some("csv") => "text/csv; charset=utf-8",
        Some("json") => "application/json",
        _ => "text/plain; charset=utf-8",
    };
    let ascii_name: String = name
        .chars()
        .map(|c| {
            if (c.is_ascii_graphic() || c == ' ') && c != '"' && c != '\\' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let disposition = format!("attachment; filename=\"{ascii_name}\"");
    Ok((
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (header::CONTENT_LENGTH, size.to_string()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        // A log may still grow; serve exactly the length announced.
        Body::from_stream(ReaderStream::new(handle.take(size))),
    )
        .into_response())
}
