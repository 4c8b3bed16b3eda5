//! A server that sends a huge or endless body: the client stops at its cap with a clear error
//! instead of reading on until memory or the timeout runs out.

mod client_support;

use client_support::Stub;
use contactpro_rci::{ClientError, RciClient};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// Answers `queues` with an endless chunked JSON body and `roles` with a declared 100 GB one.
async fn flooding_server() -> url::Url {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            tokio::spawn(answer(stream));
        }
    });
    format!("http://{addr}/t/RI").parse().unwrap()
}

async fn answer(mut stream: TcpStream) {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        if stream.read(&mut byte).await.unwrap_or(0) == 0 {
            return;
        }
        head.push(byte[0]);
    }
    let head = String::from_utf8_lossy(&head);
    if head.starts_with("GET /t/RI/rci/roles") {
        let _ = stream
            .write_all(b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 100000000000\r\n\r\n[")
            .await;
        tokio::time::sleep(Duration::from_secs(60)).await;
        return;
    }
    let _ = stream
        .write_all(b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n")
        .await;
    let chunk = vec![b' '; 1 << 20];
    let mut framed = format!("{:x}\r\n", chunk.len()).into_bytes();
    framed.extend_from_slice(&chunk);
    framed.extend_from_slice(b"\r\n");
    // Until the client hangs up.
    while stream.write_all(&framed).await.is_ok() {}
}

async fn client() -> RciClient {
    let stub = Stub::start().await;
    let mut config = stub.config();
    config.base_url = flooding_server().await;
    config.max_retries = 2;
    config.request_timeout = Duration::from_secs(60);
    RciClient::new(config).unwrap()
}

fn assert_too_large(err: &ClientError, what: &str) {
    let ClientError::Decode(message) = err else {
        panic!("expected a Decode error, got {err:?}")
    };
    assert!(
        message.contains(what)
            && message.contains("larger than 64 MiB")
            && message.contains("`url`"),
        "{message}"
    );
}

#[tokio::test]
async fn an_endless_body_ends_at_the_cap_with_a_clear_error_and_no_retry() {
    let client = client().await;
    let started = Instant::now();
    let err = client.list_queues(None).await.unwrap_err();
    assert_too_large(&err, "GET queues");
    assert_eq!(
        client.requests_sent(),
        1,
        "a body over the cap is not asked again"
    );
    assert!(
        started.elapsed() < Duration::from_secs(30),
        "{:?}",
        started.elapsed()
    );

    let err = client.get_raw(&["queues"], &[]).await.unwrap_err();
    assert_too_large(&err, "GET queues");
}

#[tokio::test]
async fn a_declared_length_over_the_cap_is_refused_before_reading() {
    let client = client().await;
    let started = Instant::now();
    let err = client.list_roles(None).await.unwrap_err();
    assert_too_large(&err, "GET roles");
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );
}
