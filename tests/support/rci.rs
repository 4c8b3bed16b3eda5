//! Talks to the emulator's RCI directly, as an admin would outside Terraform: to check what a
//! Terraform run left in the tenant, and to make drift.
use serde_json::{json, Value as Json};

pub const ADMIN_LOGIN: &str = "admin";
pub const ADMIN_PASSWORD: &str = "Emulator-Admin-Password-1";

/// One tenant of a running emulator.
pub struct Rci {
    base: String,
    root: String,
    tenant: String,
    api_key: String,
    admin_password: String,
    runtime: tokio::runtime::Runtime,
    http: reqwest::Client,
}

impl Rci {
    /// `emulator_base` is `http://127.0.0.1:PORT`; the tenant has the emulator's default credentials.
    pub fn new(emulator_base: &str, tenant: &str) -> Rci {
        Rci::with_credentials(
            emulator_base,
            tenant,
            &format!("{tenant}-api-key"),
            ADMIN_PASSWORD,
        )
    }

    /// For an emulator started with `--api-key` / `--admin-password` of its own: the tenant's
    /// `/_emulator` endpoints, like the RCI, need the admin's credentials.
    pub fn with_credentials(
        emulator_base: &str,
        tenant: &str,
        api_key: &str,
        admin_password: &str,
    ) -> Rci {
        Rci {
            base: format!("{emulator_base}/{tenant}/RI/rci"),
            root: emulator_base.to_string(),
            tenant: tenant.to_string(),
            api_key: api_key.to_string(),
            admin_password: admin_password.to_string(),
            runtime: tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap(),
            http: reqwest::Client::new(),
        }
    }

    /// The provider's `url` for this tenant.
    pub fn ri_url(&self) -> String {
        self.base.trim_end_matches("/rci").to_string()
    }

    /// Environment that configures the provider for this tenant.
    pub fn provider_env(&self) -> Vec<(&'static str, String)> {
        vec![
            ("CONTACTPRO_URL", self.ri_url()),
            ("CONTACTPRO_API_KEY", self.api_key.clone()),
            ("CONTACTPRO_USERNAME", ADMIN_LOGIN.to_string()),
            ("CONTACTPRO_PASSWORD", self.admin_password.clone()),
        ]
    }

    fn send(&self, method: reqwest::Method, url: String, body: Option<Json>) -> (u16, Json) {
        self.runtime.block_on(async {
            let mut request = self
                .http
                .request(method, &url)
                .header("x-api-key", &self.api_key)
                .basic_auth(ADMIN_LOGIN, Some(&self.admin_password));
            if let Some(body) = body {
                request = request.json(&body);
            }
            let response = request
                .send()
                .await
                .unwrap_or_else(|e| panic!("{url}: {e}"));
            let status = response.status().as_u16();
            let text = response.text().await.unwrap_or_default();
            (status, serde_json::from_str(&text).unwrap_or(Json::Null))
        })
    }

    pub fn get(&self, path: &str) -> (u16, Json) {
        self.send(reqwest::Method::GET, format!("{}/{path}", self.base), None)
    }

    /// GET that must succeed.
    pub fn get_ok(&self, path: &str) -> Json {
        let (status, body) = self.get(path);
        assert_eq!(status, 200, "GET {path}: {body}");
        body
    }

    pub fn put(&self, path: &str, body: Json) -> u16 {
        self.send(
            reqwest::Method::PUT,
            format!("{}/{path}", self.base),
            Some(body),
        )
        .0
    }

    pub fn post(&self, path: &str, body: Json) -> (u16, Json) {
        self.send(
            reqwest::Method::POST,
            format!("{}/{path}", self.base),
            Some(body),
        )
    }

    pub fn delete(&self, path: &str) -> u16 {
        self.send(
            reqwest::Method::DELETE,
            format!("{}/{path}", self.base),
            None,
        )
        .0
    }

    /// Every object of a list endpoint (the emulator's lists hold at most 1000 per page).
    pub fn list(&self, path: &str) -> Vec<Json> {
        let separator = if path.contains('?') { '&' } else { '?' };
        match self.get_ok(&format!("{path}{separator}limit=1000")) {
            Json::Array(items) => items,
            other => panic!("{path} is not a list: {other}"),
        }
    }

    /// The whole user: a list item holds only the fields its query names.
    pub fn user_by_login(&self, login: &str) -> Option<Json> {
        self.list(&format!("users?login={login}"))
            .into_iter()
            .find(|u| {
                u["login"]
                    .as_str()
                    .is_some_and(|l| l.eq_ignore_ascii_case(login))
            })
            .map(|u| self.get_ok(&format!("users/{}", u["id"].as_str().expect("id"))))
    }

    pub fn secret_by_name(&self, name: &str) -> Option<Json> {
        self.list(&format!("secrets?name={name}"))
            .into_iter()
            .find(|s| s["name"] == name)
    }

    pub fn id_by_name(&self, collection: &str, name: &str) -> String {
        self.list(collection)
            .into_iter()
            .find(|o| o["name"] == name)
            .and_then(|o| o["id"].as_str().map(str::to_string))
            .unwrap_or_else(|| panic!("no {collection} named {name}"))
    }

    /// Whether the stored value of secret `name` equals `candidate` (emulator-only endpoint, admin
    /// credentials, which `send` always carries).
    pub fn secret_matches(&self, name: &str, candidate: &str) -> bool {
        let url = format!("{}/_emulator/{}/check-secret", self.root, self.tenant);
        let (status, body) = self.send(
            reqwest::Method::POST,
            url,
            Some(json!({"name": name, "secret": candidate})),
        );
        assert_eq!(status, 200, "check-secret: {body}");
        body["matches"].as_bool().expect("matches")
    }

    /// Zeroes the emulator's request counts (all tenants).
    pub fn reset_stats(&self) {
        let url = format!("{}/_emulator/stats", self.root);
        let (status, body) = self.send(reqwest::Method::DELETE, url, None);
        assert!(status < 300, "DELETE /_emulator/stats: {status} {body}");
    }

    /// Request counts of the emulator (all tenants).
    pub fn stats(&self) -> Json {
        self.send(
            reqwest::Method::GET,
            format!("{}/_emulator/stats", self.root),
            None,
        )
        .1
    }
}

/// A Terraform working directory configured (through the environment) for one tenant.
pub fn workdir_for(terraform: &super::Terraform, rci: &Rci) -> super::TfWorkdir {
    let mut wd = super::TfWorkdir::new(terraform, &super::bins::provider_binary());
    for (key, value) in rci.provider_env() {
        wd.env(key, &value);
    }
    wd
}

/// `terraform plan -detailed-exitcode`: the exit code and the plan's text.
pub fn plan(wd: &super::TfWorkdir) -> (i32, String) {
    let out = wd.run(&["plan", "-no-color", "-detailed-exitcode", "-input=false"]);
    let code = out.status.code().unwrap_or(-1);
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(code == 0 || code == 2, "plan failed ({code}):\n{text}");
    (code, text)
}

/// Asserts that a plan shows no changes.
pub fn assert_no_changes(wd: &super::TfWorkdir, after: &str) {
    let (code, text) = plan(wd);
    assert_eq!(code, 0, "expected no changes after {after}, got:\n{text}");
}

/// Asserts that a plan shows changes and that its text contains each of `needles`.
pub fn assert_plan_shows(wd: &super::TfWorkdir, after: &str, needles: &[&str]) {
    let (code, text) = plan(wd);
    assert_eq!(code, 2, "expected changes after {after}, got:\n{text}");
    for needle in needles {
        assert!(
            text.contains(needle),
            "plan after {after} lacks {needle:?}:\n{text}"
        );
    }
}

impl Rci {
    fn emulator_post(&self, endpoint: &str, body: Json) -> Json {
        let url = format!("{}/_emulator/{}/{endpoint}", self.root, self.tenant);
        let (status, answer) = self.send(reqwest::Method::POST, url, Some(body));
        assert_eq!(status, 200, "{endpoint}: {answer}");
        answer
    }

    /// Whether the basic secret `name` holds credentials that log in as its user, with its login and
    /// a fingerprint of the stored value (emulator-only endpoint, admin credentials). The fingerprint
    /// is keyed per emulator run: compare it with another from the same run or pass it to
    /// `password_has_fingerprint`; it is not the SHA-256 of the value.
    pub fn check_credentials(&self, name: &str) -> (bool, String, String) {
        let answer = self.emulator_post("check-credentials", json!({"name": name}));
        (
            answer["authenticates"].as_bool().expect("authenticates"),
            answer["login"].as_str().unwrap_or_default().to_string(),
            answer["fingerprint"]
                .as_str()
                .unwrap_or_default()
                .to_string(),
        )
    }

    /// Whether the user's current password has this fingerprint: one from `check_credentials`, or
    /// the first 16 bytes of SHA-256 (hex) of a password the test knows (emulator-only endpoint,
    /// admin credentials).
    pub fn password_has_fingerprint(&self, login: &str, fingerprint: &str) -> bool {
        let answer = self.emulator_post(
            "check-password",
            json!({"login": login, "fingerprint": fingerprint}),
        );
        answer["matches"].as_bool().expect("matches")
    }
}

/// A user as GET returns it, made into a PUT body: the read-only fields go.
pub fn user_put_body(user: &Json) -> Json {
    let mut body = user.clone();
    if let Some(fields) = body.as_object_mut() {
        for read_only in [
            "id",
            "passwordExpiration",
            "serviceAccount",
            "serviceAccountExpiration",
            "userGroupIds",
            "roleIds",
        ] {
            fields.remove(read_only);
        }
    }
    body
}

/// The plain fingerprint of a value as `check-password` accepts it: the first 16 bytes of its
/// SHA-256, in hex.
pub fn fingerprint(value: &str) -> String {
    ring::digest::digest(&ring::digest::SHA256, value.as_bytes())
        .as_ref()
        .iter()
        .take(16)
        .map(|b| format!("{b:02x}"))
        .collect()
}
