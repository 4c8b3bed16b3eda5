//! Reads a response body with a cap, so a wrong `url` or a broken server sending an endless body
//! ends in a clear error instead of filling memory.

/// 64 MiB: a page holds at most 1000 items (`PAGE_SIZE`), and a user at every field's maximum
/// length, JSON-escaped, with a thousand memberships stays under 64 KiB (a typical one is under
/// 1 KiB). No page of a real tenant comes near it; docs/api/contract.md, client policy.
pub(crate) const MAX_BODY_BYTES: usize = 64 * 1024 * 1024;

pub(crate) enum BodyError {
    TooLarge,
    Interrupted(reqwest::Error),
}

/// The body, or `TooLarge` as soon as the declared length or the bytes received pass `limit`.
pub(crate) async fn read_capped(
    mut response: reqwest::Response,
    limit: usize,
) -> Result<Vec<u8>, BodyError> {
    if response
        .content_length()
        .is_some_and(|declared| declared > limit as u64)
    {
        return Err(BodyError::TooLarge);
    }
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(BodyError::Interrupted)? {
        if body.len() + chunk.len() > limit {
            return Err(BodyError::TooLarge);
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// The error text for a body over the cap; `what` is e.g. `GET users`.
pub(crate) fn too_large(what: &str) -> String {
    format!(
        "the answer to {what} is larger than {} MiB, more than any page of a Contact Pro tenant; \
         check that `url` points at the tenant's RI",
        MAX_BODY_BYTES / (1024 * 1024)
    )
}
