//! `contactpro_secret`: a secret of the tenant's Secrets manager.
//!
//! With a `user_credentials` block the provider makes the password itself: it sets it on the user
//! first and then stores it in the secret, so it never appears in configuration, plan or state.
//! User first, because the likeliest failure (the user is gone, or the API user may not change
//! passwords) then happens before anything is written, and the old, working pair stays intact.

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use tf_provider::schema::{AttributeType, NestedBlock, Schema};
use tf_provider::value::{Value, ValueEmpty};
use tf_provider::{AttributePath, Diagnostics, Resource};

use crate::plugin_server::ClientCapabilities;
use crate::resources::password_generator;
use crate::resources::write_only::WriteOnlyArgument;
use crate::tf::client_handle::{ClientHandle, Probe};
use crate::tf::diag::{api_error, attribute_error, confirm_gone, Collection, FieldMap};
use crate::tf::schema::{
    block, computed, optional, optional_computed, required, schema, sensitive, string, with_blocks,
};
use crate::tf::sensitive::Sensitive;
use crate::tf::tenant_support::require_endpoint;
use crate::tf::values::{from_api, known, to_api, TfString};
use contactpro_rci::{
    Authentication, AuthenticationInput, ClientError, Endpoint, RciClient, Secret, SecretInput,
    SecretString,
};
use contactpro_rules as policy;

const RESOURCE: &str = "contactpro_secret";

const SECRET_WO: WriteOnlyArgument = WriteOnlyArgument {
    resource: RESOURCE,
    attribute: "secret_wo",
    version: "secret_wo_version",
    classic: "secret",
};

const FIELDS: FieldMap = &[
    ("name", "name"),
    ("description", "description"),
    ("type", "type"),
    ("authenticationId", "authentication_id"),
    ("accessTokenUrl", "access_token_url"),
    ("secret", "secret"),
];

#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct UserCredentials {
    #[serde(default)]
    pub user_id: TfString,
    #[serde(default)]
    pub rotation: TfString,
}

#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
pub struct SecretState {
    #[serde(default)]
    pub id: TfString,
    #[serde(default)]
    pub name: TfString,
    #[serde(default)]
    pub description: TfString,
    #[serde(default, rename = "type")]
    pub kind: TfString,
    #[serde(default)]
    pub authentication_id: TfString,
    #[serde(default)]
    pub access_token_url: TfString,
    #[serde(default)]
    pub secret: Sensitive<TfString>,
    /// Write-only: in the configuration only, null in plan and state.
    #[serde(default)]
    pub secret_wo: Sensitive<TfString>,
    #[serde(default)]
    pub secret_wo_version: TfString,
    #[serde(default)]
    pub user_credentials: Value<Vec<UserCredentials>>,
    #[serde(default)]
    pub value_managed: Value<bool>,
}

impl SecretState {
    fn credentials(&self) -> Option<&UserCredentials> {
        match &self.user_credentials {
            Value::Value(items) => items.first(),
            _ => None,
        }
    }

    fn credentials_user_id(&self) -> Option<&str> {
        self.credentials().and_then(|c| known(&c.user_id))
    }

    fn to_input(&self, secret: Option<SecretString>) -> SecretInput {
        SecretInput {
            name: known(&self.name).unwrap_or_default().to_string(),
            description: to_api(&self.description),
            kind: known(&self.kind).unwrap_or_default().to_string(),
            authentication_id: to_api(&self.authentication_id),
            access_token_url: to_api(&self.access_token_url),
            secret,
        }
    }

    /// Whether Terraform writes the value: from `secret`, from `secret_wo` (whose version is what
    /// state keeps of it) or generated with `user_credentials`. Otherwise the value is owned
    /// elsewhere and only the metadata is managed.
    fn manages_value(&self) -> bool {
        !matches!(*self.secret, Value::Null)
            || !matches!(self.secret_wo_version, Value::Null)
            || self.credentials().is_some()
    }

    /// The configured value, or none when credentials are generated.
    fn configured_secret(&self) -> Option<SecretString> {
        known(&self.secret).map(SecretString::new)
    }

    fn refresh_from(&mut self, remote: Secret) {
        self.id = Value::Value(remote.id);
        self.name = Value::Value(remote.name);
        self.description = from_api(remote.description);
        self.kind = Value::Value(remote.kind);
        self.authentication_id = from_api(remote.authentication_id);
        self.access_token_url = from_api(remote.access_token_url);
    }
}

/// Private state: what the user's authentication tab said right after the provider stored a
/// generated pair. A password set since then (a half-done replace, someone in System
/// Configurator) moves the user's `passwordExpiration`, and the next plan writes a new pair.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
pub struct CredentialsWritten {
    #[serde(default)]
    pub password_expiration: Option<String>,
}

type Private = Value<CredentialsWritten>;

fn recorded_expiration(private: &Private) -> Option<&str> {
    match private {
        Value::Value(written) => written.password_expiration.as_deref(),
        _ => None,
    }
}

pub struct SecretResource {
    client: ClientHandle,
    capabilities: ClientCapabilities,
}

impl SecretResource {
    pub fn new(client: ClientHandle, capabilities: ClientCapabilities) -> Self {
        Self {
            client,
            capabilities,
        }
    }
}

/// Validation that needs no API call; unknown values are checked later, at apply.
fn validate_config(diags: &mut Diagnostics, config: &SecretState) {
    let error = |diags: &mut Diagnostics, attribute: &'static str, detail: String| {
        attribute_error(
            diags,
            RESOURCE,
            AttributePath::new(attribute),
            attribute,
            detail,
        )
    };
    if let Some(name) = known(&config.name) {
        if let Err(e) = policy::check_secret_name(name) {
            error(diags, "name", format!("The secret name {e}."));
        }
    }
    if let Some(description) = known(&config.description) {
        if let Err(e) = policy::check_description(description) {
            error(diags, "description", format!("The description {e}."));
        }
    }
    for (attribute, value) in [("secret", &config.secret), ("secret_wo", &config.secret_wo)] {
        if let Some(secret) = known(value) {
            if let Err(e) = policy::check_secret_value(secret) {
                error(diags, attribute, format!("The secret value {e}."));
            }
        }
    }
    SECRET_WO.validate(
        diags,
        &config.secret_wo,
        &config.secret_wo_version,
        &config.secret,
    );
    if let Some(url) = known(&config.access_token_url) {
        if let Err(e) = policy::check_http_url(url) {
            error(
                diags,
                "access_token_url",
                format!("The OAuth access token URL {e}."),
            );
        }
    }
    let has_credentials = config.credentials().is_some();
    let has_secret = !matches!(*config.secret, Value::Null);
    let has_authentication_id = !matches!(config.authentication_id, Value::Null);
    let has_token_url = !matches!(config.access_token_url, Value::Null);
    if has_credentials && has_secret {
        error(diags, "secret", "Set either `secret` or a `user_credentials` block, not both: with `user_credentials` the provider generates the password.".into());
    }
    if has_credentials && !matches!(*config.secret_wo, Value::Null) {
        error(diags, "secret_wo", "Set either `secret_wo` or a `user_credentials` block, not both: with `user_credentials` the provider generates the password.".into());
    }
    if has_credentials && has_authentication_id {
        error(diags, "authentication_id", "`authentication_id` conflicts with `user_credentials`: the provider sets it to the user's login.".into());
    }
    if let Some(rotation) = config.credentials().and_then(|c| known(&c.rotation)) {
        if rotation.is_empty() {
            attribute_error(
                diags,
                RESOURCE,
                AttributePath::new("user_credentials").index(0).attribute("rotation"),
                "user_credentials.rotation",
                "`rotation` must not be empty: use any string, and change it to rotate the password.",
            );
        }
    }
    let Some(kind) = known(&config.kind) else {
        return;
    };
    match kind {
        "basic" => {
            if !has_credentials && !has_authentication_id {
                error(diags, "authentication_id", "A `basic` secret needs `authentication_id` (the user name), or a `user_credentials` block.".into());
            }
            if has_token_url {
                error(
                    diags,
                    "access_token_url",
                    "`access_token_url` is only for `oauth` secrets: remove it.".into(),
                );
            }
        }
        "oauth" => {
            if !has_authentication_id {
                error(
                    diags,
                    "authentication_id",
                    "An `oauth` secret needs `authentication_id` (the client id).".into(),
                );
            }
            if !has_token_url {
                error(
                    diags,
                    "access_token_url",
                    "An `oauth` secret needs `access_token_url` (the OAuth access token URL)."
                        .into(),
                );
            }
        }
        "header" => {
            if has_authentication_id {
                error(
                    diags,
                    "authentication_id",
                    "A `header` secret takes no `authentication_id`: remove it.".into(),
                );
            }
            if has_token_url {
                error(
                    diags,
                    "access_token_url",
                    "`access_token_url` is only for `oauth` secrets: remove it.".into(),
                );
            }
        }
        other => error(
            diags,
            "type",
            format!("{other:?} is not a secret type: use \"basic\", \"oauth\" or \"header\"."),
        ),
    }
    if has_credentials && kind != "basic" {
        error(
            diags,
            "user_credentials",
            "`user_credentials` works with `type = \"basic\"` only.".into(),
        );
    }
}

/// The user's authentication tab: its login is `authentication_id` of generated credentials.
async fn authentication_of(
    client: &RciClient,
    diags: &mut Diagnostics,
    user_id: &str,
) -> Option<Authentication> {
    match client.get_authentication(user_id).await {
        Ok(authentication) => Some(authentication),
        Err(e) => {
            let detail = if e.is_not_found() {
                format!("The user {user_id} named in `user_credentials.user_id` does not exist. Create it first (for example with contactpro_user) and reference its id.")
            } else {
                e.to_string()
            };
            diags.error(
                format!("{RESOURCE}: cannot read the user of `user_credentials`"),
                detail,
                AttributePath::new("user_credentials")
                    .index(0)
                    .attribute("user_id"),
            );
            None
        }
    }
}

/// A generated pair: the user's login, the new password, and the user's password expiration
/// right after it was set (for the private state).
struct Generated {
    login: String,
    password: SecretString,
    written: CredentialsWritten,
}

/// Sets a fresh password on the user and returns it with the user's login.
async fn set_generated_password(
    client: &RciClient,
    diags: &mut Diagnostics,
    user_id: &str,
) -> Option<Generated> {
    let current = match client.get_authentication(user_id).await {
        Ok(current) => current,
        Err(e) => {
            api_error(
                diags,
                RESOURCE,
                "reading the user of `user_credentials` (nothing was written)",
                &e,
                &[],
            );
            return None;
        }
    };
    // Contact Pro makes a non-service user change a password someone else set at first logon,
    // so a generated password would not let the integration log in.
    if !current.service_account {
        diags.error(
            format!("{RESOURCE}: `user_credentials` needs a service account"),
            format!("User {user_id} (login {:?}) is not a service account, so Contact Pro would make it change the generated password at its first logon and the integration could not log in. Set `service_account = true` and `service_account_expires_at` on its contactpro_user (Assign Expiration Time for Service Account in System Configurator). Nothing was written.", current.login),
            AttributePath::new("user_credentials").index(0).attribute("user_id"),
        );
        return None;
    }
    let password = SecretString::new(password_generator::generate());
    let input = AuthenticationInput {
        login: current.login.clone(),
        password: Some(password.clone()),
        service_account: current.service_account,
        service_account_expiration: current.service_account_expiration,
    };
    if let Err(e) = client.set_authentication(user_id, &input).await {
        api_error(
            diags,
            RESOURCE,
            "setting the generated password on the user (nothing was written)",
            &e,
            &[],
        );
        return None;
    }
    // Best effort: without it the next plan only compares logins, as before.
    let password_expiration = client
        .get_authentication(user_id)
        .await
        .ok()
        .and_then(|a| a.password_expiration);
    Some(Generated {
        login: current.login,
        password,
        written: CredentialsWritten {
            password_expiration,
        },
    })
}

/// With `create_before_destroy` the secret being replaced still holds the (unique) name, so the
/// create would fail after the new password was set and leave the old secret with a password the
/// user no longer has. Checked before anything is written.
async fn require_name_free(client: &RciClient, diags: &mut Diagnostics, name: &str) -> Option<()> {
    match client.find_secret_by_name(name).await {
        Ok(None) => Some(()),
        Ok(Some(existing)) => {
            diags.error(
                format!("{RESOURCE}: a secret named {name:?} already exists"),
                format!("Secret {} already has the name {name:?}, and secret names are unique, so this secret cannot be created; nothing was written (the user's password is unchanged). If this is a replace with `lifecycle {{ create_before_destroy = true }}`, remove `create_before_destroy` from this contactpro_secret: the old secret must be deleted before the new one can take its name. Otherwise bring the existing secret under Terraform with `terraform import`.", existing.id),
                AttributePath::new("name"),
            );
            None
        }
        Err(e) => {
            api_error(
                diags,
                RESOURCE,
                "checking that the secret name is free (nothing was written)",
                &e,
                FIELDS,
            );
            None
        }
    }
}

/// What a read returns right after a successful write of `input`: the API computes nothing but
/// the id (the value is write-only), so no read-back is needed, which saves a GET per object.
fn as_stored(id: String, input: SecretInput) -> Secret {
    Secret {
        id,
        name: input.name,
        description: input.description,
        kind: input.kind,
        authentication_id: input.authentication_id,
        access_token_url: input.access_token_url,
        secret_set: true,
    }
}

fn half_rotated(diags: &mut Diagnostics, user_id: &str, error: &ClientError) {
    diags.error(
        format!("{RESOURCE}: the new password was set on the user, but storing it in the secret failed"),
        format!("User {user_id} now has a new generated password; the secret still holds the previous credentials, so integrations using it cannot log in until the next `terraform apply`, which generates and writes a new pair. Cause: {error}."),
        AttributePath::new("user_credentials"),
    );
}

/// The value of `secret_wo`, read from the configuration: plan and state never hold it.
fn write_only_value(config: &Value<SecretState>) -> Option<SecretString> {
    match config {
        Value::Value(config) => known(&config.secret_wo).map(SecretString::new),
        _ => None,
    }
}

/// `secrets` for every secret; `users/{id}/authentication` too when the provider sets the password.
async fn require_secret_endpoints(
    client: &RciClient,
    diags: &mut Diagnostics,
    planned: &SecretState,
) -> Option<()> {
    let path = AttributePath::root();
    require_endpoint(client, diags, RESOURCE, RESOURCE, Endpoint::Secrets, path).await?;
    if planned.credentials().is_some() {
        let path = AttributePath::new("user_credentials");
        let needed_by = "`user_credentials`";
        require_endpoint(
            client,
            diags,
            RESOURCE,
            needed_by,
            Endpoint::Authentication,
            path,
        )
        .await?;
    }
    Some(())
}

#[async_trait]
impl Resource for SecretResource {
    type State<'a> = Value<SecretState>;
    type PrivateState<'a> = Private;
    type ProviderMetaState<'a> = ValueEmpty;

    fn schema(&self, _diags: &mut Diagnostics) -> Option<Schema> {
        let credentials = block(
            "Let the provider generate the password of a Contact Pro user and store it in this secret. The password is set on the user through the API and written to the secret; it is never in configuration, plan or state.",
            vec![
                ("user_id", required(string(), "Id of the user whose password the provider generates and manages (for example `contactpro_user.cmi.id`). Changing it generates a new password for the new user.")),
                ("rotation", optional(string(), "Any string; changing it generates a new password, sets it on the user and stores it in the secret. For example a date, or `time_rotating` of the time provider.")),
            ],
        );
        Some(schema(with_blocks(
            block(
                "A secret in the tenant's Secrets manager (System Management > Secrets manager), used by event-driven integrations.\n\nThe API never returns a secret's value: a change made to the value outside Terraform cannot be detected.",
                vec![
                    ("id", computed(string(), "Id of the secret (32 hexadecimal characters).")),
                    ("name", required(string(), "Unique name of the secret: letters, digits, `-`, `_` and `.`. Integrations reference the secret by this name.")),
                    ("description", optional(string(), "Free text, up to 1000 characters.")),
                    ("type", required(string(), "`basic` (user name and password), `oauth` (client id and client secret) or `header` (a header value such as an API key). Changing it replaces the secret.")),
                    ("authentication_id", optional_computed(string(), "The user name (`basic`) or client id (`oauth`). Not allowed for `header`. Computed from the user's login with `user_credentials`.")),
                    ("access_token_url", optional(string(), "OAuth access token URL; required for `oauth`, not allowed otherwise.")),
                    ("secret", sensitive(optional(string(), "The secret value (password, client secret or header value), write-only in the API: Terraform sends it on create and when it changes. It is stored in Terraform state like any sensitive value; use `secret_wo` (Terraform 1.11 or newer) to keep a value you supply out of state, or `user_credentials` for a generated password. Leave it unset, with no `user_credentials` block, for a secret whose value is owned elsewhere (a support-made secret, a key another team rotates): the provider then manages only the name, description, type, `authentication_id` and `access_token_url`, never writes the value, and `value_managed` is false. Such a secret must exist already: import it, as a new secret needs a value."))),
                    ("secret_wo", optional(string(), "Write-only form of `secret` (Terraform 1.11 or newer): the secret value, sent on create and whenever `secret_wo_version` changes, and never stored in plan or state, so it may come from an ephemeral value (an `ephemeral = true` variable, or the ephemeral resource `contactpro_password` for a generated password). Requires `secret_wo_version`; conflicts with `secret` and `user_credentials`. Older Terraform versions reject it at plan.")),
                    ("secret_wo_version", optional(string(), "Version of `secret_wo`, stored in state (a string; a number such as `1` is accepted and converted): change it to write the current `secret_wo` again, for example after rotating the value. Required with `secret_wo`.")),
                    ("value_managed", computed(AttributeType::Bool, "Whether Terraform writes the secret's value: true with `secret`, `secret_wo` or `user_credentials`, false when the value is owned elsewhere and only the metadata is managed. The plan shows it change when `secret` is added or removed.")),
                ],
            ),
            vec![("user_credentials", NestedBlock::Optional(credentials))],
        )))
    }

    async fn validate<'a>(&self, diags: &mut Diagnostics, config: Self::State<'a>) -> Option<()> {
        if let Value::Value(config) = &config {
            validate_config(diags, config);
        }
        Some(())
    }

    async fn read<'a>(
        &self,
        diags: &mut Diagnostics,
        state: Self::State<'a>,
        private_state: Self::PrivateState<'a>,
        _meta: Self::ProviderMetaState<'a>,
    ) -> Option<(Self::State<'a>, Self::PrivateState<'a>)> {
        let Value::Value(mut state) = state else {
            return Some((state, private_state));
        };
        let client = self.client.get(diags)?;
        let name = known(&state.name).unwrap_or_default();
        let id = match client
            .secret_id_or_name(known(&state.id).unwrap_or_default(), name)
            .await
        {
            Ok(Some(id)) => id,
            Ok(None) => return Some((Value::Null, private_state)),
            Err(e) => {
                api_error(diags, RESOURCE, "reading the secret", &e, FIELDS);
                return None;
            }
        };
        match client.get_secret(&id).await {
            Ok(remote) => {
                state.refresh_from(remote);
                state.value_managed = Value::Value(state.manages_value());
                Some((Value::Value(state), private_state))
            }
            Err(e) if e.is_not_found() => {
                confirm_gone(&client, diags, RESOURCE, Collection::Secrets, &id).await?;
                Some((Value::Null, private_state))
            }
            Err(e) => {
                api_error(diags, RESOURCE, "reading the secret", &e, FIELDS);
                None
            }
        }
    }

    async fn plan_create<'a>(
        &self,
        diags: &mut Diagnostics,
        proposed_state: Self::State<'a>,
        config_state: Self::State<'a>,
        _meta: Self::ProviderMetaState<'a>,
    ) -> Option<(Self::State<'a>, Self::PrivateState<'a>)> {
        let Value::Value(mut planned) = proposed_state else {
            return Some((proposed_state, Value::Null));
        };
        if let Value::Value(config) = &config_state {
            SECRET_WO.require_support(diags, &self.capabilities, &config.secret_wo)?;
        }
        planned.secret_wo = Value::Null.into();
        let client = self
            .client
            .get_checked(diags, RESOURCE, Probe::Secrets)
            .await?;
        require_secret_endpoints(&client, diags, &planned).await?;
        if !planned.manages_value() {
            diags.error(
                format!("{RESOURCE}: a new secret needs a value"),
                format!("The secret {:?} does not exist, and Contact Pro stores no secret without a value. Set `secret` (or `secret_wo`), or add a `user_credentials` block; or, if another team owns the value, create the secret in the Secrets manager (or have it created) and import it: without `secret` and `user_credentials` the provider manages only its name, description, type and ids. Nothing was created.", known(&planned.name).unwrap_or_default()),
                AttributePath::new("secret"),
            );
            return None;
        }
        planned.id = Value::Unknown;
        planned.value_managed = Value::Value(true);
        if planned.credentials().is_some() {
            // Fail at plan time when the user does not exist; the login is read again at apply.
            if let Some(user_id) = planned.credentials_user_id() {
                let client = self.client.get(diags)?;
                authentication_of(&client, diags, user_id).await?;
            }
            planned.authentication_id = Value::Unknown;
        }
        Some((Value::Value(planned), Value::Null))
    }

    async fn plan_update<'a>(
        &self,
        diags: &mut Diagnostics,
        prior_state: Self::State<'a>,
        proposed_state: Self::State<'a>,
        config_state: Self::State<'a>,
        prior_private_state: Self::PrivateState<'a>,
        _meta: Self::ProviderMetaState<'a>,
    ) -> Option<(
        Self::State<'a>,
        Self::PrivateState<'a>,
        Vec<tf_provider::AttributePath>,
    )> {
        let (Value::Value(prior), Value::Value(mut planned)) = (&prior_state, proposed_state)
        else {
            return Some((Value::Null, prior_private_state, vec![]));
        };
        if let Value::Value(config) = &config_state {
            SECRET_WO.require_support(diags, &self.capabilities, &config.secret_wo)?;
        }
        planned.secret_wo = Value::Null.into();
        planned.id = prior.id.clone();
        planned.value_managed = Value::Value(planned.manages_value());
        if planned != *prior {
            let client = self.client.get(diags)?;
            require_secret_endpoints(&client, diags, &planned).await?;
        }
        let mut replace = Vec::new();
        if planned.kind != prior.kind {
            replace.push(AttributePath::new("type"));
        }
        if planned.credentials().is_some() {
            // A login that no longer matches the stored one (changed outside Terraform, or a new
            // user), or a password set since the pair was stored (its expiration moved), shows
            // as a change and makes apply write a new pair.
            let same_user = planned.credentials().map(|c| &c.user_id)
                == prior.credentials().map(|c| &c.user_id);
            let in_sync = match planned.credentials_user_id() {
                Some(user_id) if same_user => {
                    let client = self.client.get(diags)?;
                    let current = authentication_of(&client, diags, user_id).await?;
                    let same_password = match recorded_expiration(&prior_private_state) {
                        Some(recorded) => current.password_expiration.as_deref() == Some(recorded),
                        None => true,
                    };
                    known(&prior.authentication_id) == Some(current.login.as_str()) && same_password
                }
                _ => false,
            };
            planned.authentication_id = if in_sync {
                prior.authentication_id.clone()
            } else {
                Value::Unknown
            };
        } else if prior.credentials().is_some() && matches!(planned.authentication_id, Value::Null)
        {
            planned.authentication_id = Value::Unknown;
        }
        Some((Value::Value(planned), prior_private_state, replace))
    }

    async fn plan_destroy<'a>(
        &self,
        _diags: &mut Diagnostics,
        _prior_state: Self::State<'a>,
        prior_private_state: Self::PrivateState<'a>,
        _meta: Self::ProviderMetaState<'a>,
    ) -> Option<Self::PrivateState<'a>> {
        Some(prior_private_state)
    }

    async fn create<'a>(
        &self,
        diags: &mut Diagnostics,
        planned_state: Self::State<'a>,
        config_state: Self::State<'a>,
        _planned_private_state: Self::PrivateState<'a>,
        _meta: Self::ProviderMetaState<'a>,
    ) -> Option<(Self::State<'a>, Self::PrivateState<'a>)> {
        let Value::Value(mut planned) = planned_state else {
            return None;
        };
        let client = self.client.get(diags)?;
        let mut private = Value::Null;
        let secret = match planned.credentials_user_id().map(str::to_string) {
            Some(user_id) => {
                require_name_free(&client, diags, known(&planned.name).unwrap_or_default()).await?;
                let generated = set_generated_password(&client, diags, &user_id).await?;
                planned.authentication_id = Value::Value(generated.login);
                private = Value::Value(generated.written);
                Some(generated.password)
            }
            None => planned
                .configured_secret()
                .or_else(|| write_only_value(&config_state)),
        };
        let generated = planned.credentials().is_some();
        let input = planned.to_input(secret);
        let id = match client.create_secret(&input).await {
            Ok(id) => id,
            Err(e) if e.is_create_unresolved() && !generated => {
                api_error(diags, RESOURCE, "creating the secret", &e, FIELDS);
                // The secret may exist: record it without an id; read and destroy find it by
                // name, so the next apply neither orphans nor duplicates it.
                planned.id = Value::Value(String::new());
                return Some((Value::Value(planned), Value::Null));
            }
            Err(e) => {
                if let (true, Some(user_id)) = (generated, planned.credentials_user_id()) {
                    half_rotated(diags, user_id, &e);
                } else {
                    // Named: a conflict must say which secret exists already.
                    let action = format!(
                        "creating the secret {:?}",
                        known(&planned.name).unwrap_or_default()
                    );
                    api_error(diags, RESOURCE, &action, &e, FIELDS);
                }
                return None;
            }
        };
        planned.refresh_from(as_stored(id, input));
        Some((Value::Value(planned), private))
    }

    async fn update<'a>(
        &self,
        diags: &mut Diagnostics,
        prior_state: Self::State<'a>,
        planned_state: Self::State<'a>,
        config_state: Self::State<'a>,
        planned_private_state: Self::PrivateState<'a>,
        _meta: Self::ProviderMetaState<'a>,
    ) -> Option<(Self::State<'a>, Self::PrivateState<'a>)> {
        let (Value::Value(prior), Value::Value(mut planned)) = (&prior_state, planned_state) else {
            return None;
        };
        // `secret_wo` is written when its version changes (plan and state never hold the value).
        let write_only = if planned.secret_wo_version != prior.secret_wo_version {
            write_only_value(&config_state)
        } else {
            None
        };
        let client = self.client.get(diags)?;
        let id = known(&prior.id).unwrap_or_default().to_string();
        let mut written = None;
        let credentials_changed = planned.credentials().is_some()
            && (planned.credentials() != prior.credentials()
                || matches!(planned.authentication_id, Value::Unknown));
        let secret = if credentials_changed {
            let user_id = planned
                .credentials_user_id()
                .unwrap_or_default()
                .to_string();
            let Some(generated) = set_generated_password(&client, diags, &user_id).await else {
                return Some((prior_state, planned_private_state));
            };
            planned.authentication_id = Value::Value(generated.login);
            written = Some(generated.written);
            Some(generated.password)
        } else if planned.credentials().is_none() && write_only.is_some() {
            write_only
        } else if planned.credentials().is_none() && planned.secret != prior.secret {
            planned.configured_secret()
        } else {
            None
        };
        let input = planned.to_input(secret);
        if let Err(e) = client.update_secret(&id, &input).await {
            if credentials_changed {
                half_rotated(diags, planned.credentials_user_id().unwrap_or_default(), &e);
            } else {
                api_error(diags, RESOURCE, "updating the secret", &e, FIELDS);
            }
            return Some((prior_state, planned_private_state));
        }
        planned.refresh_from(as_stored(id, input));
        let private = match (written, planned.credentials()) {
            (Some(written), _) => Value::Value(written),
            (None, Some(_)) => planned_private_state,
            (None, None) => Value::Null,
        };
        Some((Value::Value(planned), private))
    }

    async fn destroy<'a>(
        &self,
        diags: &mut Diagnostics,
        prior_state: Self::State<'a>,
        _planned_private_state: Self::PrivateState<'a>,
        _meta: Self::ProviderMetaState<'a>,
    ) -> Option<()> {
        let Value::Value(prior) = prior_state else {
            return Some(());
        };
        let client = self.client.get(diags)?;
        let name = known(&prior.name).unwrap_or_default();
        let id = match client
            .secret_id_or_name(known(&prior.id).unwrap_or_default(), name)
            .await
        {
            Ok(Some(id)) => id,
            Ok(None) => return Some(()),
            Err(e) => {
                api_error(diags, RESOURCE, "deleting the secret", &e, FIELDS);
                return None;
            }
        };
        match client.delete_secret(&id).await {
            Ok(()) => Some(()),
            Err(e) if e.is_not_found() => Some(()),
            Err(e) => {
                api_error(diags, RESOURCE, "deleting the secret", &e, FIELDS);
                None
            }
        }
    }

    async fn import<'a>(
        &self,
        diags: &mut Diagnostics,
        id: String,
    ) -> Option<(Self::State<'a>, Self::PrivateState<'a>)> {
        let client = self.client.get(diags)?;
        let found = if policy::is_id(&id) {
            client.get_secret(&id).await.map(Some)
        } else {
            client.find_secret_by_name(&id).await
        };
        match found {
            Ok(Some(remote)) => {
                let mut state = SecretState::default();
                state.refresh_from(remote);
                state.user_credentials = Value::Value(vec![]);
                state.value_managed = Value::Value(false);
                Some((Value::Value(state), Value::Null))
            }
            Ok(None) => {
                diags.root_error(
                    format!("{RESOURCE}: nothing to import"),
                    format!("No secret is named {id:?}. Import takes the secret's id (32 hexadecimal characters) or its exact name."),
                );
                None
            }
            Err(e) => {
                api_error(diags, RESOURCE, "importing the secret", &e, FIELDS);
                None
            }
        }
    }
}
