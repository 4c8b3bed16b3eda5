//! A small in-process stub of the RCI for client tests: a few handlers over in-memory vectors,
//! scripted faults per route, and a record of every request. Not an emulator.
#![allow(dead_code)]

use axum::extract::{MatchedPath, Path, Query, Request, State};
use axum::http::{HeaderMap, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, put};
use axum::{Json, Router};
use contactpro_rci::{ClientConfig, RciClient, SecretString};
use serde_json::{json, Value};
use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

pub const API_KEY: &str = "test-api-key-7f3a";
pub const USERNAME: &str = "admin";
pub const PASSWORD: &str = "admin-password-9c1e";
const PREFIX: &str = "/t/RI/rci";

/// What the stub does instead of (or after) handling one request of a route.
#[derive(Clone, Debug)]
pub enum Fault {
    /// Answer with this status and error body without touching state.
    Status {
        status: u16,
        message: String,
        field: Option<String>,
        retry_after: Option<u64>,
    },
    /// Answer with this status and JSON body (e.g. a stale, empty list).
    Json(u16, Value),
    /// Handle (commit) the request, then hold the response longer than the client waits.
    CommitThenHang(Duration),
    /// Handle (commit) the request, then drop the connection without answering.
    CommitThenDrop,
}

impl Fault {
    pub fn status(status: u16, message: &str, field: Option<&str>) -> Self {
        Fault::Status {
            status,
            message: message.into(),
            field: field.map(Into::into),
            retry_after: None,
        }
    }
}

/// One request as the stub saw it.
#[derive(Clone, Debug)]
pub struct Hit {
    pub method: String,
    /// Route template relative to `rci`, e.g. `/users/:id`.
    pub route: String,
    pub query: Option<String>,
    pub headers: HeaderMap,
    pub at: std::time::Instant,
}

#[derive(Default)]
pub struct StubState {
    pub users: Mutex<Vec<Value>>,
    pub secrets: Mutex<Vec<Value>>,
    /// (user id, right)
    pub rights: Mutex<Vec<(String, Value)>>,
    /// (user id, group id)
    pub memberships: Mutex<Vec<(String, String)>>,
    pub faults: Mutex<HashMap<String, VecDeque<Fault>>>,
    pub hits: Mutex<Vec<Hit>>,
    next_id: AtomicU64,
}

impl StubState {
    /// Queue faults for `"<METHOD> <route>"`, e.g. `"POST /users"` or `"GET /users/:id"`.
    pub fn fault(&self, key: &str, faults: impl IntoIterator<Item = Fault>) {
        self.faults
            .lock()
            .unwrap()
            .entry(key.to_string())
            .or_default()
            .extend(faults);
    }

    pub fn hits(&self, key: &str) -> Vec<Hit> {
        self.hits
            .lock()
            .unwrap()
            .iter()
            .filter(|h| format!("{} {}", h.method, h.route) == key)
            .cloned()
            .collect()
    }

    pub fn all_hits(&self) -> Vec<Hit> {
        self.hits.lock().unwrap().clone()
    }

    pub fn new_id(&self) -> String {
        format!("{:032X}", self.next_id.fetch_add(1, Ordering::Relaxed) + 1)
    }

    pub fn add_user(&self, login: &str) -> String {
        let id = self.new_id();
        self.users.lock().unwrap().push(json!({
            "id": id, "firstName": "First", "surname": "Last", "login": login,
            "email": null, "title": null, "location": null, "timeZone": null,
            "uiLanguage": null, "promptLanguage": null, "externalId": null,
            "passwordExpiration": null
        }));
        id
    }

    pub fn add_secret(&self, name: &str) -> String {
        let id = self.new_id();
        self.secrets.lock().unwrap().push(json!({
            "id": id, "name": name, "description": null, "type": "header",
            "authenticationId": null, "accessTokenUrl": null, "secretSet": true
        }));
        id
    }
}

pub struct Stub {
    pub state: Arc<StubState>,
    /// The RI base URL to give the client, e.g. `http://127.0.0.1:PORT/t/RI`.
    pub base_url: url::Url,
}

impl Stub {
    pub async fn start() -> Stub {
        let state = Arc::new(StubState::default());
        let app = Router::new()
            .route(&r("/users"), get(list_users).post(create_user))
            .route(
                &r("/users/:id"),
                get(get_user).put(put_user).delete(delete_user),
            )
            .route(&r("/users/:id/authentication"), put(put_authentication))
            .route(&r("/users/:id/rights"), get(list_rights).post(create_right))
            .route(
                &r("/users/:id/userGroups"),
                get(list_groups).post(add_group),
            )
            .route(&r("/users/:id/userGroups/:gid"), delete(remove_group))
            .route(&r("/secrets"), get(list_secrets).post(create_secret))
            .route(&r("/secrets/:id"), delete(delete_secret))
            .route_layer(middleware::from_fn_with_state(state.clone(), gate))
            .with_state(state.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move {
            axum::serve(listener, app).await.unwrap();
        });
        let base_url = format!("http://{addr}/t/RI").parse().unwrap();
        Stub { state, base_url }
    }

    pub fn config(&self) -> ClientConfig {
        ClientConfig {
            base_url: self.base_url.clone(),
            api_key: SecretString::new(API_KEY),
            username: USERNAME.into(),
            password: SecretString::new(PASSWORD),
            max_retries: 3,
            request_timeout: Duration::from_secs(5),
            requests_per_second: None,
            ca_cert_pem: None,
            user_agent: "client-tests".into(),
        }
    }

    pub fn client(&self) -> RciClient {
        RciClient::new(self.config()).unwrap()
    }
}

fn r(path: &str) -> String {
    format!("{PREFIX}{path}")
}

fn error(status: u16, message: &str, field: Option<&str>) -> Response {
    let code = StatusCode::from_u16(status).unwrap();
    let body = json!({"status": status, "message": message, "field": field});
    (code, Json(body)).into_response()
}

/// Records the request, checks credentials like the contract says, then plays any scripted fault.
async fn gate(
    State(state): State<Arc<StubState>>,
    matched: MatchedPath,
    request: Request,
    next: Next,
) -> Response {
    let route = matched.as_str().trim_start_matches(PREFIX).to_string();
    let key = format!("{} {}", request.method(), route);
    state.hits.lock().unwrap().push(Hit {
        method: request.method().to_string(),
        route,
        query: request.uri().query().map(str::to_string),
        headers: request.headers().clone(),
        at: std::time::Instant::now(),
    });
    let headers = request.headers();
    if headers.get("x-api-key").and_then(|v| v.to_str().ok()) != Some(API_KEY) {
        return error(403, "Forbidden", None);
    }
    use base64::Engine;
    let basic = format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{USERNAME}:{PASSWORD}"))
    );
    if headers.get("authorization").and_then(|v| v.to_str().ok()) != Some(basic.as_str()) {
        return error(401, "Unauthorized", None);
    }
    if matches!(*request.method(), Method::POST | Method::PUT)
        && headers.get("content-type").and_then(|v| v.to_str().ok()) != Some("application/json")
    {
        return error(415, "Content-Type must be application/json", None);
    }
    let fault = state
        .faults
        .lock()
        .unwrap()
        .get_mut(&key)
        .and_then(VecDeque::pop_front);
    match fault {
        None => next.run(request).await,
        Some(Fault::Status {
            status,
            message,
            field,
            retry_after,
        }) => {
            let mut response = error(status, &message, field.as_deref());
            if let Some(seconds) = retry_after {
                response
                    .headers_mut()
                    .insert("retry-after", seconds.to_string().parse().unwrap());
            }
            response
        }
        Some(Fault::Json(status, body)) => {
            (StatusCode::from_u16(status).unwrap(), Json(body)).into_response()
        }
        Some(Fault::CommitThenHang(wait)) => {
            let response = next.run(request).await;
            tokio::time::sleep(wait).await;
            response
        }
        Some(Fault::CommitThenDrop) => {
            let _committed = next.run(request).await;
            // Unwinding the connection task closes the socket without a response (and no panic noise).
            std::panic::resume_unwind(Box::new("stub drops the connection"));
        }
    }
}

/// Contract wildcard match: `*` any run, `?` one character, case-insensitive.
pub fn wildcard(pattern: &str, value: &str) -> bool {
    fn go(p: &[char], v: &[char]) -> bool {
        match (p.first(), v.first()) {
            (None, None) => true,
            (Some('*'), _) => go(&p[1..], v) || (!v.is_empty() && go(p, &v[1..])),
            (Some('?'), Some(_)) => go(&p[1..], &v[1..]),
            (Some(a), Some(b)) => a.eq_ignore_ascii_case(b) && go(&p[1..], &v[1..]),
            _ => false,
        }
    }
    let p: Vec<char> = pattern.chars().collect();
    let v: Vec<char> = value.chars().collect();
    go(&p, &v)
}

/// Filters by `filters` fields and applies offset/limit like the contract.
fn page(items: Vec<Value>, query: &HashMap<String, String>, filters: &[&str]) -> Response {
    let offset: usize = query
        .get("offset")
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let limit: usize = query
        .get("limit")
        .and_then(|v| v.parse().ok())
        .unwrap_or(100)
        .min(1000);
    let selected: Vec<Value> = items
        .into_iter()
        .filter(|item| {
            filters.iter().all(|f| match query.get(*f) {
                None => true,
                Some(p) => item[*f].as_str().is_some_and(|v| wildcard(p, v)),
            })
        })
        .skip(offset)
        .take(limit)
        .collect();
    Json(selected).into_response()
}

fn created(location: String, id: &str) -> Response {
    (
        StatusCode::CREATED,
        [("location", location)],
        Json(json!({ "id": id })),
    )
        .into_response()
}

type Q = Query<HashMap<String, String>>;
type S = State<Arc<StubState>>;

async fn list_users(State(s): S, Query(q): Q) -> Response {
    page(
        s.users.lock().unwrap().clone(),
        &q,
        &["login", "firstName", "surname"],
    )
}

async fn create_user(State(s): S, Json(body): Json<Value>) -> Response {
    let login = body["login"].as_str().unwrap_or_default().to_string();
    let mut users = s.users.lock().unwrap();
    if users
        .iter()
        .any(|u| u["login"].as_str().unwrap().eq_ignore_ascii_case(&login))
    {
        return error(409, "login already in use", Some("login"));
    }
    let id = s.new_id();
    let mut user = body.clone();
    user["id"] = json!(id);
    user["passwordExpiration"] = Value::Null;
    users.push(user);
    created(r(&format!("/users/{id}")), &id)
}

fn find(items: &[Value], id: &str) -> Option<usize> {
    items.iter().position(|i| i["id"] == id)
}

async fn get_user(State(s): S, Path(id): Path<String>) -> Response {
    let users = s.users.lock().unwrap();
    match find(&users, &id) {
        Some(i) => Json(users[i].clone()).into_response(),
        None => error(404, "no such user", None),
    }
}

async fn put_user(State(s): S, Path(id): Path<String>, Json(body): Json<Value>) -> Response {
    let mut users = s.users.lock().unwrap();
    match find(&users, &id) {
        Some(i) => {
            let mut user = body;
            user["id"] = json!(id);
            user["passwordExpiration"] = users[i]["passwordExpiration"].clone();
            users[i] = user;
            StatusCode::NO_CONTENT.into_response()
        }
        None => error(404, "no such user", None),
    }
}

async fn delete_user(State(s): S, Path(id): Path<String>) -> Response {
    let mut users = s.users.lock().unwrap();
    match find(&users, &id) {
        Some(i) => {
            users.remove(i);
            StatusCode::NO_CONTENT.into_response()
        }
        None => error(404, "no such user", None),
    }
}

/// Rejects short passwords and, like a careless server, echoes the value back.
async fn put_authentication(Path(_id): Path<String>, Json(body): Json<Value>) -> Response {
    match body["password"].as_str() {
        Some(p) if p.len() < 16 => error(
            400,
            &format!("password '{p}' is shorter than 16 characters"),
            Some("password"),
        ),
        _ => StatusCode::NO_CONTENT.into_response(),
    }
}

async fn list_rights(State(s): S, Path(user): Path<String>, Query(q): Q) -> Response {
    let rights = s.rights.lock().unwrap();
    let mine = rights
        .iter()
        .filter(|(u, _)| *u == user)
        .map(|(_, r)| r.clone())
        .collect();
    page(mine, &q, &[])
}

async fn create_right(State(s): S, Path(user): Path<String>, Json(body): Json<Value>) -> Response {
    let mut rights = s.rights.lock().unwrap();
    if rights.iter().any(|(u, r)| {
        *u == user && r["objectType"] == body["objectType"] && r["objectId"] == body["objectId"]
    }) {
        return error(409, "right exists", None);
    }
    let id = s.new_id();
    let mut right = body;
    right["id"] = json!(id);
    rights.push((user.clone(), right));
    created(r(&format!("/users/{user}/rights/{id}")), &id)
}

async fn list_groups(State(s): S, Path(user): Path<String>, Query(q): Q) -> Response {
    let mine = s
        .memberships
        .lock()
        .unwrap()
        .iter()
        .filter(|(u, _)| *u == user)
        .map(|(_, g)| json!({"id": g, "name": format!("group {g}")}))
        .collect();
    page(mine, &q, &[])
}

async fn add_group(State(s): S, Path(user): Path<String>, Json(body): Json<Value>) -> Response {
    let group = body["id"].as_str().unwrap_or_default().to_string();
    let mut memberships = s.memberships.lock().unwrap();
    if memberships.iter().any(|(u, g)| *u == user && *g == group) {
        return error(409, "already a member", None);
    }
    memberships.push((user.clone(), group.clone()));
    created(r(&format!("/users/{user}/userGroups/{group}")), &group)
}

async fn remove_group(State(s): S, Path((user, group)): Path<(String, String)>) -> Response {
    let mut memberships = s.memberships.lock().unwrap();
    match memberships
        .iter()
        .position(|(u, g)| *u == user && *g == group)
    {
        Some(i) => {
            memberships.remove(i);
            StatusCode::NO_CONTENT.into_response()
        }
        None => error(404, "not a member", None),
    }
}

async fn list_secrets(State(s): S, Query(q): Q) -> Response {
    page(s.secrets.lock().unwrap().clone(), &q, &["name"])
}

async fn create_secret(State(s): S, Json(body): Json<Value>) -> Response {
    let name = body["name"].as_str().unwrap_or_default().to_string();
    let mut secrets = s.secrets.lock().unwrap();
    if secrets.iter().any(|x| x["name"] == name.as_str()) {
        return error(409, "secret name in use", Some("name"));
    }
    let id = s.new_id();
    let mut secret = body;
    secret["id"] = json!(id);
    secret["secretSet"] = json!(secret.get("secret").is_some());
    if let Some(map) = secret.as_object_mut() {
        map.remove("secret");
    }
    secrets.push(secret);
    created(r(&format!("/secrets/{id}")), &id)
}

async fn delete_secret(State(s): S, Path(id): Path<String>) -> Response {
    let mut secrets = s.secrets.lock().unwrap();
    match find(&secrets, &id) {
        Some(i) => {
            secrets.remove(i);
            StatusCode::NO_CONTENT.into_response()
        }
        None => error(404, "no such secret", None),
    }
}
