//! Malformed and oversized requests: a 4xx, never a 500 or a hang.

use crate::common::live::LiveSite;

fn assert_client_error(what: &str, status: u16) {
    assert!((400..500).contains(&status), "{what}: {status}");
}

async fn malformed_requests_get_a_client_error(site: &LiveSite) {
    // Invalid UTF-8 and control bytes in the request line.
    for line in [
        &b"GET /en/articles/\xff\xfe HTTP/1.1\r\n"[..],
        b"GET /en/articles/%ff%fe HTTP/1.1\r\n",
        b"GET /en/\x01 HTTP/1.1\r\n",
        b"GET /en/articles/%E6%B8 HTTP/1.1\r\n",
    ] {
        let mut request = line.to_vec();
        request.extend_from_slice(b"Host: news.example\r\nConnection: close\r\n\r\n");
        let r = site.raw(&request).await;
        assert_client_error(&String::from_utf8_lossy(line), r.status);
    }
    // Invalid UTF-8 in headers the site reads.
    let r = site
        .raw(b"GET /en/ HTTP/1.1\r\nHost: news.example\r\nCookie: dz_edition=\xff\xfe; dz_session=\xff\r\nAccept-Language: \xff\r\nConnection: close\r\n\r\n")
        .await;
    assert_eq!(r.status, 200, "unreadable cookies are ignored");
    // One huge header (a megabyte: beyond what the server buffers), many headers.
    let huge = format!("X-Junk: {}\r\n", "a".repeat(1024 * 1024));
    let r = site.get_with("/en/", &[("X-Pad", &"b".repeat(10))]).await;
    assert_eq!(r.status, 200);
    let mut request = b"GET /en/ HTTP/1.1\r\nHost: news.example\r\nConnection: close\r\n".to_vec();
    request.extend_from_slice(huge.as_bytes());
    request.extend_from_slice(b"\r\n");
    let r = site.raw(&request).await;
    assert!(
        r.status == 0 || (400..500).contains(&r.status),
        "a 1 MB header: {}",
        r.status
    );
    let mut request = b"GET /en/ HTTP/1.1\r\nHost: news.example\r\nConnection: close\r\n".to_vec();
    for i in 0..300 {
        request.extend_from_slice(format!("X-H{i}: v\r\n").as_bytes());
    }
    request.extend_from_slice(b"\r\n");
    let r = site.raw(&request).await;
    assert!(
        r.status == 0 || (400..500).contains(&r.status),
        "300 headers: {}",
        r.status
    );
    // Bodies larger than their route takes.
    let big = vec![b'a'; 6 * 1024 * 1024];
    let r = site
        .request(
            "POST",
            "/api/v1/articles",
            &[
                ("Content-Type", "application/json"),
                ("Authorization", "Bearer dz_x"),
            ],
            &big,
        )
        .await;
    assert_client_error("a 6 MB API body", r.status);
    let r = site
        .request(
            "POST",
            "/prefs",
            &[("Content-Type", "application/x-www-form-urlencoded")],
            &big,
        )
        .await;
    assert_client_error("a 6 MB preference form", r.status);
    // Bodies that are not what they say.
    for (what, content_type, body) in [
        (
            "invalid UTF-8 in a form",
            "application/x-www-form-urlencoded",
            &b"size=\xff\xfe&next=/"[..],
        ),
        (
            "a form without fields",
            "application/x-www-form-urlencoded",
            b"&&&=&=",
        ),
        (
            "JSON as a form",
            "application/json",
            b"{\"size\": \"large\"}",
        ),
        (
            "a truncated multipart",
            "multipart/form-data; boundary=x",
            b"--x\r\nContent-Disp",
        ),
    ] {
        let r = site
            .request("POST", "/prefs", &[("Content-Type", content_type)], body)
            .await;
        assert_client_error(what, r.status);
    }
    // Deeply nested and malformed JSON to the API.
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    for body in [
        deep.as_bytes(),
        b"{\"slug\": \"x\", ",
        b"\xff\xfe{}",
        b"null",
    ] {
        let r = site
            .request(
                "POST",
                "/api/v1/articles",
                &[
                    ("Content-Type", "application/json"),
                    ("Authorization", "Bearer dz_nope"),
                ],
                body,
            )
            .await;
        assert_client_error("malformed JSON", r.status);
    }
    // A chunked body with a bad chunk size.
    let r = site
        .raw(b"POST /prefs HTTP/1.1\r\nHost: news.example\r\nConnection: close\r\nTransfer-Encoding: chunked\r\nContent-Type: application/x-www-form-urlencoded\r\n\r\nzz\r\nsize=large\r\n0\r\n\r\n")
        .await;
    assert!(
        r.status == 0 || (400..500).contains(&r.status),
        "bad chunk: {}",
        r.status
    );
    // Methods a route does not take, and absurd ones.
    for method in ["DELETE", "PATCH", "PUT", "TRACE", "FOO"] {
        let r = site.request(method, "/en/", &[], b"").await;
        assert_client_error(method, r.status);
    }
    // The server still serves.
    assert_eq!(site.get("/en/").await.status, 200);
}

/// A client that trickles its headers (slowloris) is cut off, and cannot hold the connection.
#[tokio::test]
async fn slow_headers_are_cut_off() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let site = LiveSite::start(crate::common::live::Backend::Sqlite, "slow", |_| {})
        .await
        .unwrap();
    let mut stream = tokio::net::TcpStream::connect(site.addr).await.unwrap();
    stream
        .write_all(b"GET /en/ HTTP/1.1\r\nHost: news.example\r\n")
        .await
        .unwrap();
    let started = std::time::Instant::now();
    let mut buffer = Vec::new();
    // Keep trickling a header byte every second; the server must close all the same.
    let closed = tokio::time::timeout(std::time::Duration::from_secs(30), async {
        loop {
            let mut chunk = [0u8; 1024];
            tokio::select! {
                read = stream.read(&mut chunk) => match read {
                    Ok(0) | Err(_) => return,
                    Ok(n) => buffer.extend_from_slice(&chunk[..n]),
                },
                () = tokio::time::sleep(std::time::Duration::from_secs(1)) => {
                    if stream.write_all(b"X").await.is_err() {
                        return;
                    }
                }
            }
        }
    })
    .await;
    assert!(closed.is_ok(), "the connection was still open after 30 s");
    let waited = started.elapsed();
    assert!(
        waited >= duizhao::web::HEADER_READ_TIMEOUT - std::time::Duration::from_secs(1),
        "cut off after {waited:?}"
    );
    // An answer, if any, is a client error.
    let answer = String::from_utf8_lossy(&buffer);
    assert!(
        answer.is_empty() || answer.starts_with("HTTP/1.1 4"),
        "{answer}"
    );
    site.stop().await;
}

crate::on_both_live!(malformed_requests_get_a_client_error);
