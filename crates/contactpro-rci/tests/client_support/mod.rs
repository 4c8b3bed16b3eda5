//! A small in-process stub of the RCI for client tests: a few handlers over in-memory vectors,
//! scripted faults per route, and a record of every request. Not an emulator.
#![allow(dead_code)]

pub mod private_ca;

use axum::extract::{MatchedPath, Path, Query, Request, State};
use axum::http::{HeaderMap, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get};
use axum::{Json, Router};
use contactpro_rci::{ClientConfig, RciClient, SecretString};
use serde_json::{json, Value};
use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
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
    /// The concrete path relative to `rci`, ids included.
    pub path: String,
    pub query: Option<String>,
    pub headers: HeaderMap,
    /// The JSON body, when the request had one.
    pub body: Option<Value>,
    pub at: std::time::Instant,
}

/// How POSTs answer a successful create.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum CreateAnswer {
    /// `Location` and `{"id"}` (the contract's JSON form).
    #[default]
    JsonAndLocation,
    /// The bare id as `text/html`, no `Location`.
    TextOnly,
    /// `Location` only, empty body.
    LocationOnly,
    /// 201 with neither body nor `Location`.
    Nothing,
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
    /// Authentication tabs by user id (defaults derived from the user when absent).
    pub authentications: Mutex<HashMap<String, Value>>,
    pub queues: Mutex<Vec<Value>>,
    pub create_answer: Mutex<CreateAnswer>,
    /// Largest page the lists return, whatever `limit` asks (0: the contract's 1000).
    pub page_cap: AtomicUsize,
    /// Lists answer every item whatever `offset` and `limit` say (a server that does not page).
    pub unpaged: AtomicBool,
    /// `GET users` answers 400 naming `serviceAccount` when asked for an extra field.
    pub refuse_extras: AtomicBool,
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

    /// Bodies of the requests of `key`, in order.
    pub fn bodies(&self, key: &str) -> Vec<Value> {
        self.hits(key).into_iter().filter_map(|h| h.body).collect()
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
            .route(
                &r("/users/:id/authentication"),
                get(get_authentication).put(put_authentication),
            )
            .route(&r("/users/:id/rights"), get(list_rights).post(create_right))
            .route(&r("/users/:id/rights/:rid"), get(get_right).put(put_right))
            .route(&r("/queues"), get(list_queues))
            .route(
                &r("/users/:id/userGroups"),
                get(list_groups).post(add_group),
            )
            .route(&r("/users/:id/userGroups/:gid"), delete(remove_group))
            .route(&r("/secrets"), get(list_secrets).post(create_secret))
            .route(&r("/secrets/:id"), get(get_secret).delete(delete_secret))
            .route_layer(middleware::from_fn_with_state(state.clone(), gate))
            .fallback(unknown_path)
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
    let (parts, body) = request.into_parts();
    let bytes = axum::body::to_bytes(body, 1 << 20)
        .await
        .unwrap_or_default();
    state.hits.lock().unwrap().push(Hit {
        method: parts.method.to_string(),
        route,
        path: parts.uri.path().trim_start_matches(PREFIX).to_string(),
        query: parts.uri.query().map(str::to_string),
        headers: parts.headers.clone(),
        body: serde_json::from_slice(&bytes).ok(),
        at: std::time::Instant::now(),
    });
    let request = Request::from_parts(parts, axum::body::Body::from(bytes));
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

/// Records a request to a path the stub does not serve, and answers 404 like an unknown path.
async fn unknown_path(State(s): S, request: Request) -> Response {
    s.hits.lock().unwrap().push(Hit {
        method: request.method().to_string(),
        route: request.uri().path().trim_start_matches(PREFIX).to_string(),
        path: request.uri().path().trim_start_matches(PREFIX).to_string(),
        query: request.uri().query().map(str::to_string),
        headers: request.headers().clone(),
        body: None,
        at: std::time::Instant::now(),
    });
    error(404, "no such resource", None)
}

/// Filters by `filters` fields and applies offset/limit like the contract (capped by `page_cap`).
fn page(
    s: &StubState,
    items: Vec<Value>,
    query: &HashMap<String, String>,
    filters: &[&str],
) -> Response {
    let unpaged = s.unpaged.load(Ordering::Relaxed);
    let offset: usize = query
        .get("offset")
        .and_then(|v| v.parse().ok())
        .filter(|_| !unpaged)
        .unwrap_or(0);
    let cap = match s.page_cap.load(Ordering::Relaxed) {
        0 => 1000,
        cap => cap,
    };
    let limit: usize = query
        .get("limit")
        .and_then(|v| v.parse().ok())
        .unwrap_or(100)
        .min(if unpaged { usize::MAX } else { cap });
    let selected: Vec<Value> = items
        .into_iter()
        .filter(|item| {
            filters.iter().all(|f| match query.get(*f) {
                None => true,
                Some(p) if p.is_empty() || p == "*" => true,
                Some(p) => item[*f].as_str().is_some_and(|v| wildcard(p, v)),
            })
        })
        .skip(offset)
        .take(limit)
        .collect();
    Json(selected).into_response()
}

/// The documented user list: `id`, `firstName`, `surname`, plus each field a parameter names.
fn project(user: &Value, query: &HashMap<String, String>) -> Value {
    let mut out = serde_json::Map::new();
    for (key, value) in user.as_object().unwrap() {
        if ["id", "firstName", "surname"].contains(&key.as_str()) || query.contains_key(key) {
            out.insert(key.clone(), value.clone());
        }
    }
    Value::Object(out)
}

fn created(s: &StubState, location: String, id: &str) -> Response {
    match *s.create_answer.lock().unwrap() {
        CreateAnswer::JsonAndLocation => (
            StatusCode::CREATED,
            [("location", location)],
            Json(json!({ "id": id })),
        )
            .into_response(),
        CreateAnswer::TextOnly => (
            StatusCode::CREATED,
            [("content-type", "text/html")],
            id.to_string(),
        )
            .into_response(),
        CreateAnswer::LocationOnly => {
            (StatusCode::CREATED, [("location", location)]).into_response()
        }
        CreateAnswer::Nothing => StatusCode::CREATED.into_response(),
    }
}

type Q = Query<HashMap<String, String>>;
type S = State<Arc<StubState>>;

async fn list_users(State(s): S, Query(q): Q) -> Response {
    let extras = [
        "serviceAccount",
        "serviceAccountExpiration",
        "userGroupIds",
        "roleIds",
    ];
    if s.refuse_extras.load(Ordering::Relaxed) {
        if let Some(field) = extras.iter().find(|f| q.contains_key(**f)) {
            return error(
                400,
                &format!("unknown query parameter {field}"),
                Some(field),
            );
        }
    }
    let users: Vec<Value> = s
        .users
        .lock()
        .unwrap()
        .iter()
        .map(|u| project(u, &q))
        .collect();
    page(&s, users, &q, &["login", "firstName", "surname", "email"])
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
    created(&s, r(&format!("/users/{id}")), &id)
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

async fn get_authentication(State(s): S, Path(id): Path<String>) -> Response {
    let users = s.users.lock().unwrap();
    let Some(i) = find(&users, &id) else {
        return error(404, "no such user", None);
    };
    let stored = s.authentications.lock().unwrap().get(&id).cloned();
    Json(stored.unwrap_or_else(|| {
        json!({"login": users[i]["login"], "serviceAccount": false,
               "serviceAccountExpiration": null, "passwordExpiration": null, "passwordSet": false})
    }))
    .into_response()
}

/// `value` as a careless server might echo it: as sent, base64 and URL-encoded (form and `%20`).
pub fn echoed(value: &str) -> String {
    use base64::Engine;
    let form: String = url::form_urlencoded::byte_serialize(value.as_bytes()).collect();
    format!(
        "'{value}' (base64 {}, encoded {form}, {})",
        base64::engine::general_purpose::STANDARD.encode(value),
        form.replace('+', "%20")
    )
}

/// Rejects short passwords and, like a careless server, echoes the value back.
async fn put_authentication(
    State(s): S,
    Path(id): Path<String>,
    Json(body): Json<Value>,
) -> Response {
    match body["password"].as_str() {
        Some(p) if p.len() < 16 => error(
            400,
            &format!("password {} is shorter than 16 characters", echoed(p)),
            Some("password"),
        ),
        _ => {
            let mut stored = body;
            if let Some(map) = stored.as_object_mut() {
                map.remove("password");
            }
            s.authentications.lock().unwrap().insert(id, stored);
            StatusCode::NO_CONTENT.into_response()
        }
    }
}

async fn list_rights(State(s): S, Path(user): Path<String>, Query(q): Q) -> Response {
    if find(&s.users.lock().unwrap(), &user).is_none() {
        return error(404, "no such user", None);
    }
    let rights = s.rights.lock().unwrap();
    let mine = rights
        .iter()
        .filter(|(u, _)| *u == user)
        .map(|(_, r)| r.clone())
        .collect();
    page(&s, mine, &q, &[])
}

async fn get_right(State(s): S, Path((user, id)): Path<(String, String)>) -> Response {
    let rights = s.rights.lock().unwrap();
    match rights
        .iter()
        .find(|(u, r)| *u == user && r["id"] == id.as_str())
    {
        Some((_, right)) => Json(right.clone()).into_response(),
        None => error(404, "no such right", None),
    }
}

async fn put_right(
    State(s): S,
    Path((user, id)): Path<(String, String)>,
    Json(body): Json<Value>,
) -> Response {
    let mut rights = s.rights.lock().unwrap();
    match rights
        .iter_mut()
        .find(|(u, r)| *u == user && r["id"] == id.as_str())
    {
        Some((_, right)) => {
            *right = body;
            StatusCode::NO_CONTENT.into_response()
        }
        None => error(404, "no such right", None),
    }
}

async fn list_queues(State(s): S, Query(q): Q) -> Response {
    page(&s, s.queues.lock().unwrap().clone(), &q, &["name"])
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
    created(&s, r(&format!("/users/{user}/rights/{id}")), &id)
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
    page(&s, mine, &q, &[])
}

async fn add_group(State(s): S, Path(user): Path<String>, Json(body): Json<Value>) -> Response {
    let group = body["id"].as_str().unwrap_or_default().to_string();
    let mut memberships = s.memberships.lock().unwrap();
    if memberships.iter().any(|(u, g)| *u == user && *g == group) {
        return error(409, "already a member", None);
    }
    memberships.push((user.clone(), group.clone()));
    created(&s, r(&format!("/users/{user}/userGroups/{group}")), &group)
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
    page(&s, s.secrets.lock().unwrap().clone(), &q, &["name"])
}

async fn create_secret(State(s): S, Json(body): Json<Value>) -> Response {
    let name = body["name"].as_str().unwrap_or_default().to_string();
    let mut secrets = s.secrets.lock().unwrap();
    if secrets.iter().any(|x| x["name"] == name.as_str()) {
        let value = echoed(body["secret"].as_str().unwrap_or_default());
        return error(
            409,
            &format!("secret name in use, value {value}"),
            Some("name"),
        );
    }
    let id = s.new_id();
    let mut secret = body;
    secret["id"] = json!(id);
    secret["secretSet"] = json!(secret.get("secret").is_some());
    if let Some(map) = secret.as_object_mut() {
        map.remove("secret");
    }
    secrets.push(secret);
    created(&s, r(&format!("/secrets/{id}")), &id)
}

async fn get_secret(State(s): S, Path(id): Path<String>) -> Response {
    let secrets = s.secrets.lock().unwrap();
    match find(&secrets, &id) {
        Some(i) => Json(secrets[i].clone()).into_response(),
        None => error(404, "no such secret", None),
    }
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
