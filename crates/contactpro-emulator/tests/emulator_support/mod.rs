//! Shared helpers for the emulator's integration tests: an in-process emulator, an RCI client that
//! checks every JSON response against docs/api/rci.openapi.yaml, and that schema checker.
#![allow(dead_code)]

use std::sync::{Arc, OnceLock};

use contactpro_emulator::{
    self as emulator, EmulatorConfig, RunningEmulator, DEFAULT_ADMIN_PASSWORD,
};
use reqwest::header::HeaderMap;
use reqwest::Method;
use serde_json::Value;

pub const TENANT: &str = "demo";
pub const API_KEY: &str = "demo-api-key";
pub const ADMIN: &str = "admin";
/// objectId of a type-wide right.
pub const ANY: &str = "00000000000000000000000000000000";

/// A running emulator plus a client with the tenant's default credentials.
pub struct Emu {
    pub running: RunningEmulator,
    pub http: reqwest::Client,
    pub spec: Arc<Spec>,
}

/// One response: status, headers and the JSON body (`Null` when empty).
#[derive(Debug)]
pub struct Resp {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: Value,
}

impl Resp {
    pub fn header(&self, name: &str) -> Option<String> {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    }
    /// The error body's message, for asserting on rule violations.
    pub fn message(&self) -> String {
        self.body["message"]
            .as_str()
            .unwrap_or_default()
            .to_string()
    }
    pub fn field(&self) -> Option<String> {
        self.body["field"].as_str().map(str::to_string)
    }
}

/// The route part of a template: `users?login=a*` → `users`.
pub fn route(template: &str) -> &str {
    template.split('?').next().unwrap_or(template)
}

/// `users/{id}` + ["AB…"] → `users/AB…`.
pub fn fill(template: &str, args: &[&str]) -> String {
    let mut out = String::new();
    let mut args = args.iter();
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        let end = rest[start..].find('}').expect("unclosed {") + start;
        out.push_str(&rest[..start]);
        out.push_str(args.next().expect("too few path arguments"));
        rest = &rest[end + 1..];
    }
    out.push_str(rest);
    out
}

impl Emu {
    pub async fn start() -> Emu {
        Emu::start_with(EmulatorConfig::for_tests()).await
    }

    pub async fn start_with(config: EmulatorConfig) -> Emu {
        let running = emulator::start(config).await.expect("emulator starts");
        Emu {
            running,
            http: reqwest::Client::builder()
                .danger_accept_invalid_certs(true)
                .build()
                .unwrap(),
            spec: Spec::shared(),
        }
    }

    pub fn rci(&self) -> String {
        format!("{}/{TENANT}/RI/rci", self.running.base_url())
    }

    /// A request with the default credentials, before sending.
    pub fn authed(&self, method: Method, url: &str) -> reqwest::RequestBuilder {
        self.http
            .request(method, url)
            .header("x-api-key", API_KEY)
            .basic_auth(ADMIN, Some(DEFAULT_ADMIN_PASSWORD))
    }

    /// Calls the RCI route `template` (e.g. `users/{id}`) with `args`, and checks the response body
    /// against the OpenAPI schema of that route, method and status.
    pub async fn call(
        &self,
        method: Method,
        template: &str,
        args: &[&str],
        body: Option<Value>,
    ) -> Resp {
        self.call_as(
            (ADMIN, DEFAULT_ADMIN_PASSWORD),
            method,
            template,
            args,
            body,
        )
        .await
    }

    /// Like `call`, with the Basic credentials of another user.
    pub async fn call_as(
        &self,
        (login, password): (&str, &str),
        method: Method,
        template: &str,
        args: &[&str],
        body: Option<Value>,
    ) -> Resp {
        let url = format!("{}/{}", self.rci(), fill(template, args));
        let mut request = self
            .http
            .request(method.clone(), &url)
            .header("x-api-key", API_KEY)
            .basic_auth(login, Some(password));
        if let Some(body) = body {
            request = request.json(&body);
        }
        let resp = read(request.send().await.expect("request sent")).await;
        self.spec
            .check_response(
                method.as_str(),
                &format!("/{}", route(template)),
                resp.status,
                &resp.body,
            )
            .unwrap_or_else(|e| {
                panic!(
                    "{method} {template} → {}: schema violation: {e}\nbody: {}",
                    resp.status, resp.body
                )
            });
        resp
    }

    pub async fn get(&self, template: &str, args: &[&str]) -> Resp {
        self.call(Method::GET, template, args, None).await
    }
    pub async fn post(&self, template: &str, args: &[&str], body: Value) -> Resp {
        self.call(Method::POST, template, args, Some(body)).await
    }
    pub async fn put(&self, template: &str, args: &[&str], body: Value) -> Resp {
        self.call(Method::PUT, template, args, Some(body)).await
    }
    pub async fn delete(&self, template: &str, args: &[&str]) -> Resp {
        self.call(Method::DELETE, template, args, None).await
    }

    /// POSTs and returns the new id, asserting 201.
    pub async fn create(&self, template: &str, args: &[&str], body: Value) -> String {
        let resp = self.post(template, args, body).await;
        assert_eq!(resp.status, 201, "create {template}: {:?}", resp.body);
        resp.body["id"].as_str().unwrap().to_string()
    }

    /// Id of the directory object (`userGroups`, `queues`, …) with this exact name.
    pub async fn id_of(&self, collection: &str, name: &str) -> String {
        let list = self.get(collection, &[]).await;
        list.body
            .as_array()
            .unwrap()
            .iter()
            .find(|o| o["name"] == name)
            .unwrap_or_else(|| panic!("{collection} has no {name:?}"))["id"]
            .as_str()
            .unwrap()
            .to_string()
    }

    /// An emulator in the given profile.
    pub async fn start_profile(profile: emulator::Profile) -> Emu {
        Emu::start_with(EmulatorConfig {
            profile,
            ..EmulatorConfig::for_tests()
        })
        .await
    }

    /// Sets a user's password through the emulator-only endpoint (no change required).
    pub async fn set_password(&self, login: &str, password: &str) {
        let url = format!(
            "{}/_emulator/{TENANT}/users/{login}/password",
            self.running.base_url()
        );
        let resp = self
            .authed(Method::PUT, &url)
            .json(&serde_json::json!({ "password": password }))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 204, "set password of {login}");
    }

    /// Gives a user access types on one object (`ANY` = the whole type) through the emulator.
    pub async fn grant(&self, login: &str, object_type: &str, object_id: &str, access: &[&str]) {
        let url = format!(
            "{}/_emulator/{TENANT}/users/{login}/rights",
            self.running.base_url()
        );
        let body = serde_json::json!({"objectType": object_type, "objectId": object_id, "accessTypes": access});
        let resp = self
            .authed(Method::PUT, &url)
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 204, "grant {body}");
    }

    pub async fn shutdown(self) {
        self.running.shutdown().await;
    }
}

/// Reads status, headers and JSON body of a response.
pub async fn read(response: reqwest::Response) -> Resp {
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let text = response.text().await.expect("body read");
    let body = if text.is_empty() {
        Value::Null
    } else {
        serde_json::from_str(&text).unwrap_or_else(|_| panic!("{status}: body is not JSON: {text}"))
    };
    Resp {
        status,
        headers,
        body,
    }
}

/// A user body with a unique-enough login.
pub fn user_body(login: &str) -> Value {
    serde_json::json!({"firstName": "Api", "surname": "User", "login": login, "email": "api@example.com",
                       "timeZone": "Europe/Helsinki", "uiLanguage": "en", "promptLanguage": "en"})
}

/// The subset of OpenAPI 3.0 schema checking the tests need: `$ref`, `type`, `nullable`, `required`,
/// `properties`, `additionalProperties`, `items`, `enum`, `minLength`/`maxLength`, `minItems`, and the ID pattern.
pub struct Spec {
    doc: Value,
}

const ID_PATTERN: &str = "^[0-9A-F]{32}$";

impl Spec {
    pub fn load() -> Spec {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../docs/api/rci.openapi.yaml"
        );
        let text = std::fs::read_to_string(path).expect("OpenAPI file readable");
        let doc: Value = serde_norway::from_str(&text).expect("OpenAPI file is YAML");
        Spec { doc }
    }

    pub fn shared() -> Arc<Spec> {
        static SPEC: OnceLock<Arc<Spec>> = OnceLock::new();
        SPEC.get_or_init(|| Arc::new(Spec::load())).clone()
    }

    fn resolve<'a>(&'a self, mut schema: &'a Value) -> &'a Value {
        while let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
            let pointer = reference.trim_start_matches('#');
            schema = self
                .doc
                .pointer(pointer)
                .unwrap_or_else(|| panic!("dangling $ref {reference}"));
        }
        schema
    }

    /// Checks `body` against the JSON schema of `path`/`method`/`status` (or the `default` response).
    /// Responses the spec declares without content must have an empty body.
    pub fn check_response(
        &self,
        method: &str,
        path: &str,
        status: u16,
        body: &Value,
    ) -> Result<(), String> {
        let escaped = path.replace('~', "~0").replace('/', "~1");
        let operation = self
            .doc
            .pointer(&format!("/paths/{escaped}/{}", method.to_lowercase()))
            .ok_or_else(|| format!("the spec has no {method} {path}"))?;
        let responses = &operation["responses"];
        let response = responses
            .get(status.to_string())
            .or_else(|| responses.get("default"))
            .ok_or_else(|| format!("the spec declares no {status} response for {method} {path}"))?;
        let response = self.resolve(response);
        match response.pointer("/content/application~1json/schema") {
            Some(schema) => self.check(schema, body, "$"),
            None if body.is_null() => Ok(()),
            None => Err(format!("the spec declares no body for {status}, got one")),
        }
    }

    /// Checks a non-JSON body against the schema the spec declares for that media type.
    pub fn check_text_response(
        &self,
        method: &str,
        path: &str,
        status: u16,
        media_type: &str,
        text: &str,
    ) -> Result<(), String> {
        let escaped = path.replace('~', "~0").replace('/', "~1");
        let responses = self
            .doc
            .pointer(&format!(
                "/paths/{escaped}/{}/responses",
                method.to_lowercase()
            ))
            .ok_or_else(|| format!("the spec has no {method} {path}"))?;
        let response = self.resolve(
            responses
                .get(status.to_string())
                .ok_or_else(|| format!("no {status} response for {method} {path}"))?,
        );
        let schema = response
            .pointer(&format!(
                "/content/{}/schema",
                media_type.replace('/', "~1")
            ))
            .ok_or_else(|| format!("the spec declares no {media_type} body for {status}"))?;
        self.check(schema, &Value::String(text.to_string()), "$")
    }

    /// Checks `value` against `schema`; `at` is the JSON path for messages.
    pub fn check(&self, schema: &Value, value: &Value, at: &str) -> Result<(), String> {
        let schema = self.resolve(schema);
        if value.is_null() {
            return if schema["nullable"] == true {
                Ok(())
            } else {
                Err(format!("{at}: null is not allowed"))
            };
        }
        if let Some(options) = schema.get("enum").and_then(Value::as_array) {
            if !options.contains(value) {
                return Err(format!("{at}: {value} is not one of {options:?}"));
            }
        }
        match schema.get("type").and_then(Value::as_str) {
            Some("object") => {
                let object = value
                    .as_object()
                    .ok_or_else(|| format!("{at}: expected an object"))?;
                for name in schema["required"].as_array().into_iter().flatten() {
                    let name = name.as_str().unwrap_or_default();
                    if !object.contains_key(name) {
                        return Err(format!("{at}: required property {name:?} is missing"));
                    }
                }
                let properties = schema.get("properties").and_then(Value::as_object);
                for (name, field) in object {
                    match properties.and_then(|p| p.get(name)) {
                        Some(property) => self.check(property, field, &format!("{at}.{name}"))?,
                        None => match schema.get("additionalProperties") {
                            Some(Value::Bool(false)) => {
                                return Err(format!("{at}: property {name:?} is not in the schema"))
                            }
                            Some(extra @ Value::Object(_)) => {
                                self.check(extra, field, &format!("{at}.{name}"))?
                            }
                            _ => {}
                        },
                    }
                }
            }
            Some("array") => {
                let items = value
                    .as_array()
                    .ok_or_else(|| format!("{at}: expected an array"))?;
                if let Some(min) = schema.get("minItems").and_then(Value::as_u64) {
                    if (items.len() as u64) < min {
                        return Err(format!("{at}: fewer than {min} items"));
                    }
                }
                if let Some(item_schema) = schema.get("items") {
                    for (i, item) in items.iter().enumerate() {
                        self.check(item_schema, item, &format!("{at}[{i}]"))?;
                    }
                }
            }
            Some("string") => {
                let text = value
                    .as_str()
                    .ok_or_else(|| format!("{at}: expected a string, got {value}"))?;
                let length = text.chars().count() as u64;
                if schema
                    .get("minLength")
                    .and_then(Value::as_u64)
                    .is_some_and(|m| length < m)
                {
                    return Err(format!("{at}: shorter than minLength"));
                }
                if schema
                    .get("maxLength")
                    .and_then(Value::as_u64)
                    .is_some_and(|m| length > m)
                {
                    return Err(format!("{at}: longer than maxLength"));
                }
                if schema.get("pattern").and_then(Value::as_str) == Some(ID_PATTERN)
                    && !contactpro_rules::is_id(text)
                {
                    return Err(format!("{at}: {text:?} is not a 32-hex ID"));
                }
                if schema.get("format").and_then(Value::as_str) == Some("date-time")
                    && contactpro_rules::parse_timestamp(text).is_err()
                {
                    return Err(format!("{at}: {text:?} is not a date-time"));
                }
            }
            Some("integer") if !(value.is_i64() || value.is_u64()) => {
                return Err(format!("{at}: expected an integer, got {value}"));
            }
            Some("boolean") if !value.is_boolean() => {
                return Err(format!("{at}: expected a boolean, got {value}"));
            }
            Some("integer" | "boolean") => {}
            Some(other) => return Err(format!("{at}: the checker does not know type {other}")),
            None => {}
        }
        Ok(())
    }
}
