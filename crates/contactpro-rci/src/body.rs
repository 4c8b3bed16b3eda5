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

#[cfg(test)]
mod tests {
    use super::{read_capped, BodyError};
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    /// A response whose body is `body`, with its length declared or sent chunked (length unknown
    /// until the end). One chunk, so the cap meets the whole body at once.
    async fn response(body: &'static [u8], declared: bool) -> reqwest::Response {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move {
            let (mut socket, _) = listener.accept().await.unwrap();
            let mut request = [0u8; 4096];
            let _ = socket.read(&mut request).await;
            let mut answer = b"HTTP/1.1 200 OK\r\nconnection: close\r\n".to_vec();
            if declared {
                answer.extend(format!("content-length: {}\r\n\r\n", body.len()).bytes());
                answer.extend_from_slice(body);
            } else {
                answer.extend(
                    format!("transfer-encoding: chunked\r\n\r\n{:x}\r\n", body.len()).bytes(),
                );
                answer.extend_from_slice(body);
                answer.extend_from_slice(b"\r\n0\r\n\r\n");
            }
            let _ = socket.write_all(&answer).await;
            let _ = socket.shutdown().await;
        });
        reqwest::get(format!("http://{addr}/")).await.unwrap()
    }

    fn too_large(result: Result<Vec<u8>, BodyError>) -> bool {
        match result {
            Err(BodyError::TooLarge) => true,
            Ok(_) => false,
            Err(BodyError::Interrupted(e)) => panic!("body interrupted: {e}"),
        }
    }

    const BODY: &[u8] = b"[1,2,3,4]";

    #[tokio::test]
    async fn a_declared_body_of_exactly_the_cap_is_read() {
        let response = response(BODY, true).await;
        assert_eq!(response.content_length(), Some(BODY.len() as u64));
        assert_eq!(
            read_capped(response, BODY.len()).await.ok().as_deref(),
            Some(BODY)
        );
    }

    #[tokio::test]
    async fn a_declared_body_one_byte_over_the_cap_is_too_large() {
        let response = response(BODY, true).await;
        assert!(too_large(read_capped(response, BODY.len() - 1).await));
    }

    #[tokio::test]
    async fn a_chunked_body_of_exactly_the_cap_is_read() {
        let response = response(BODY, false).await;
        assert_eq!(response.content_length(), None);
        assert_eq!(
            read_capped(response, BODY.len()).await.ok().as_deref(),
            Some(BODY)
        );
    }

    #[tokio::test]
    async fn a_chunked_body_one_byte_over_the_cap_is_too_large() {
        let response = response(BODY, false).await;
        assert!(too_large(read_capped(response, BODY.len() - 1).await));
    }
}
