//! `contactpro_user`: a Contact Pro user with its logon authentication and memberships.

use std::collections::BTreeSet;

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use tf_provider::schema::{AttributeType, Schema};
use tf_provider::value::{Value, ValueEmpty};
use tf_provider::{AttributePath, Diagnostics, Resource};

use super::user_requirements::{check_login_change, check_tenant_offers, login_changes};
use super::write_only::WriteOnlyArgument;
use crate::plugin_server::ClientCapabilities;
use crate::tf::client_handle::{ClientHandle, Probe};
use crate::tf::diag::{api_error, attribute_error, confirm_gone, Collection, FieldMap};
use crate::tf::ownership::Aspect;
use crate::tf::schema::{
    block, computed, optional, optional_computed, required, schema, sensitive, string, string_set,
};
use crate::tf::sensitive::Sensitive;
use crate::tf::values::{
    from_api, is_unknown, known, known_set, set_has_unknown, set_of, to_api, TfSet, TfString,
};
use contactpro_rci::{
    AuthenticationInput, Endpoint, Membership, RciClient, SecretString, Support, User, UserInput,
};
use contactpro_rules as policy;

pub(crate) const RESOURCE: &str = "contactpro_user";

const PASSWORD_WO: WriteOnlyArgument = WriteOnlyArgument {
    resource: RESOURCE,
    attribute: "password_wo",
    version: "password_wo_version",
    classic: "password",
};

const FIELDS: FieldMap = &[
    ("firstName", "first_name"),
    ("surname", "last_name"),
    ("login", "login"),
    ("email", "email"),
    ("title", "title"),
    ("location", "location"),
    ("timeZone", "time_zone"),
    ("uiLanguage", "ui_language"),
    ("promptLanguage", "prompt_language"),
    ("externalId", "external_id"),
    ("password", "password"),
    ("serviceAccount", "service_account"),
    ("serviceAccountExpiration", "service_account_expires_at"),
];

#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
pub struct UserState {
    #[serde(default)]
    pub id: TfString,
    #[serde(default)]
    pub first_name: TfString,
    #[serde(default)]
    pub last_name: TfString,
    #[serde(default)]
    pub login: TfString,
    #[serde(default)]
    pub email: TfString,
    #[serde(default)]
    pub title: TfString,
    #[serde(default)]
    pub location: TfString,
    #[serde(default)]
    pub time_zone: TfString,
    #[serde(default)]
    pub ui_language: TfString,
    #[serde(default)]
    pub prompt_language: TfString,
    #[serde(default)]
    pub external_id: TfString,
    #[serde(default)]
    pub user_group_ids: TfSet,
    #[serde(default)]
    pub role_ids: TfSet,
    #[serde(default)]
    pub password: Sensitive<TfString>,
    /// Write-only: in the configuration only, null in plan and state.
    #[serde(default)]
    pub password_wo: Sensitive<TfString>,
    #[serde(default)]
    pub password_wo_version: TfString,
    #[serde(default)]
    pub service_account: Value<bool>,
    #[serde(default)]
    pub service_account_expires_at: TfString,
    #[serde(default)]
    pub password_expires_at: TfString,
}

impl UserState {
    fn to_input(&self) -> UserInput {
        UserInput {
            first_name: known(&self.first_name).unwrap_or_default().to_string(),
            surname: known(&self.last_name).unwrap_or_default().to_string(),
            login: known(&self.login).unwrap_or_default().to_string(),
            email: to_api(&self.email),
            title: to_api(&self.title),
            location: to_api(&self.location),
            time_zone: to_api(&self.time_zone),
            ui_language: to_api(&self.ui_language),
            prompt_language: to_api(&self.prompt_language),
            external_id: to_api(&self.external_id),
        }
    }

    /// Whether this plan writes `password_wo` (create, or a new `password_wo_version`). Only
    /// meaningful in a plan, where `password_wo` still holds the configured value.
    pub(crate) fn writes_password_wo(&self, prior: Option<&UserState>) -> bool {
        WriteOnlyArgument::writes(
            &self.password_wo,
            &self.password_wo_version,
            prior.map(|p| &p.password_wo_version),
        )
    }

    fn authentication_input(&self, password: Option<SecretString>) -> AuthenticationInput {
        AuthenticationInput {
            login: known(&self.login).unwrap_or_default().to_string(),
            password,
            service_account: matches!(self.service_account, Value::Value(true)),
            service_account_expiration: to_api(&self.service_account_expires_at),
        }
    }

    fn refresh_user(&mut self, user: User) {
        self.id = Value::Value(user.id);
        self.first_name = Value::Value(user.first_name);
        self.last_name = Value::Value(user.surname);
        self.login = Value::Value(user.login);
        self.email = from_api(user.email);
        self.title = from_api(user.title);
        self.location = from_api(user.location);
        self.time_zone = from_api(user.time_zone);
        self.ui_language = from_api(user.ui_language);
        self.prompt_language = from_api(user.prompt_language);
        self.external_id = from_api(user.external_id);
    }
}

pub struct UserResource {
    client: ClientHandle,
    capabilities: ClientCapabilities,
}

impl UserResource {
    pub fn new(client: ClientHandle, capabilities: ClientCapabilities) -> Self {
        Self {
            client,
            capabilities,
        }
    }
}

/// The password apply writes on update: a changed `password`, or `password_wo` (read from the
/// configuration) when `password_wo_version` changed.
fn password_to_write(
    prior: &UserState,
    planned: &UserState,
    config: &UserState,
) -> Option<SecretString> {
    if planned.password != prior.password {
        if let Some(password) = known(&planned.password) {
            return Some(SecretString::new(password));
        }
    }
    if planned.password_wo_version != prior.password_wo_version {
        return known(&config.password_wo).map(SecretString::new);
    }
    None
}

fn check(
    diags: &mut Diagnostics,
    attribute: &'static str,
    value: &TfString,
    rule: impl Fn(&str) -> Result<(), String>,
    what: &str,
) {
    if let Some(value) = known(value) {
        if let Err(e) = rule(value) {
            attribute_error(
                diags,
                RESOURCE,
                AttributePath::new(attribute),
                attribute,
                format!("{what} {e}."),
            );
        }
    }
}

fn validate_ids(diags: &mut Diagnostics, attribute: &'static str, value: &TfSet) {
    if let Value::Value(items) = value {
        for item in items {
            if let Value::Value(id) = item {
                if !policy::is_id(id) {
                    attribute_error(diags, RESOURCE, AttributePath::new(attribute), attribute, format!("{id:?} is not an id: ids are 32 upper-case hexadecimal characters; use a data source such as contactpro_user_group to look one up by name."));
                }
            }
        }
    }
}

fn validate_config(diags: &mut Diagnostics, config: &UserState) {
    check(
        diags,
        "first_name",
        &config.first_name,
        policy::check_person_name,
        "The first name",
    );
    check(
        diags,
        "last_name",
        &config.last_name,
        policy::check_person_name,
        "The last name",
    );
    check(
        diags,
        "login",
        &config.login,
        policy::check_login,
        "The login",
    );
    check(
        diags,
        "password",
        &config.password,
        policy::check_password,
        "The password does not meet the tenant's password policy:",
    );
    check(
        diags,
        "password_wo",
        &config.password_wo,
        policy::check_password,
        "The password does not meet the tenant's password policy:",
    );
    PASSWORD_WO.validate(
        diags,
        &config.password_wo,
        &config.password_wo_version,
        &config.password,
    );
    check(
        diags,
        "email",
        &config.email,
        |v| {
            if v.contains('@') && !v.starts_with('@') && !v.ends_with('@') {
                Ok(())
            } else {
                Err("is not an e-mail address (name@example.com)".into())
            }
        },
        "The e-mail address",
    );
    check(
        diags,
        "service_account_expires_at",
        &config.service_account_expires_at,
        |v| policy::parse_timestamp(v).map(|_| ()),
        "The expiration",
    );
    validate_ids(diags, "user_group_ids", &config.user_group_ids);
    validate_ids(diags, "role_ids", &config.role_ids);
    match (&config.service_account, &config.service_account_expires_at) {
        (Value::Value(true), Value::Null) => attribute_error(
            diags,
            RESOURCE,
            AttributePath::new("service_account_expires_at"),
            "service_account_expires_at",
            "A service account needs an expiration time: set `service_account_expires_at` to an RFC 3339 time in the future, such as 2027-06-30T00:00:00Z.",
        ),
        (Value::Value(false) | Value::Null, Value::Value(_)) => attribute_error(
            diags,
            RESOURCE,
            AttributePath::new("service_account_expires_at"),
            "service_account_expires_at",
            "`service_account_expires_at` applies to service accounts only: set `service_account = true` or remove it.",
        ),
        _ => {}
    }
}

/// A changed expiration must lie in the future; an unchanged one is left alone so an old
/// configuration still plans.
fn check_expiration_is_future(
    diags: &mut Diagnostics,
    planned: &UserState,
    prior: Option<&UserState>,
) {
    let Some(value) = known(&planned.service_account_expires_at) else {
        return;
    };
    if prior.is_some_and(|p| known(&p.service_account_expires_at) == Some(value)) {
        return;
    }
    if let Err(e) = policy::check_future_timestamp(value, time::OffsetDateTime::now_utc()) {
        attribute_error(
            diags,
            RESOURCE,
            AttributePath::new("service_account_expires_at"),
            "service_account_expires_at",
            format!("The service account's expiration {e}: pick a time after now."),
        );
    }
}

/// Same instant, written differently, counts as no change.
fn same_instant(a: &str, b: &str) -> bool {
    match (policy::parse_timestamp(a), policy::parse_timestamp(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    }
}

fn membership_attribute(kind: Membership) -> &'static str {
    match kind {
        Membership::UserGroups => "user_group_ids",
        Membership::Roles => "role_ids",
    }
}

/// Makes the user's memberships of one kind exactly `wanted`.
async fn sync_memberships(
    client: &RciClient,
    diags: &mut Diagnostics,
    user_id: &str,
    kind: Membership,
    wanted: &BTreeSet<String>,
) -> Option<()> {
    let attribute = membership_attribute(kind);
    let current: BTreeSet<String> = match client.list_memberships(user_id, kind).await {
        Ok(items) => items.into_iter().map(|m| m.id).collect(),
        Err(e) => {
            api_error(diags, RESOURCE, &format!("reading `{attribute}`"), &e, &[]);
            return None;
        }
    };
    for id in wanted.difference(&current) {
        if let Err(e) = client.add_membership(user_id, kind, id).await {
            diags.error(
                format!("{RESOURCE}: adding the user to {id} failed"),
                format!("{e}. Check that {id} in `{attribute}` exists in the tenant."),
                AttributePath::new(attribute),
            );
            return None;
        }
    }
    for id in current.difference(wanted) {
        if let Err(e) = client.remove_membership(user_id, kind, id).await {
            if !e.is_not_found() {
                api_error(
                    diags,
                    RESOURCE,
                    &format!("removing {id} from `{attribute}`"),
                    &e,
                    &[],
                );
                return None;
            }
        }
    }
    Some(())
}

async fn read_memberships(
    client: &RciClient,
    diags: &mut Diagnostics,
    user_id: &str,
    kind: Membership,
) -> Option<TfSet> {
    match client.list_memberships(user_id, kind).await {
        Ok(items) => Some(set_of(items.into_iter().map(|m| m.id))),
        Err(e) => {
            api_error(
                diags,
                RESOURCE,
                &format!("reading `{}`", membership_attribute(kind)),
                &e,
                &[],
            );
            None
        }
    }
}

/// Reads the user into `state`; `Ok(false)` when the user no longer exists. Memberships are
/// read only with `memberships` (not right after a write that already settled them).
async fn refresh(
    client: &RciClient,
    diags: &mut Diagnostics,
    state: &mut UserState,
    id: &str,
    memberships: bool,
) -> Option<bool> {
    let user = match client.get_user(id).await {
        Ok(user) => user,
        Err(e) if e.is_not_found() => return Some(false),
        Err(e) => {
            api_error(diags, RESOURCE, "reading the user", &e, FIELDS);
            return None;
        }
    };
    // The user representation may carry the authentication summary (contract.md); then a
    // refresh of many users is answered by one list instead of one call per user.
    let group_ids = user.user_group_ids.clone();
    let role_ids = user.role_ids.clone();
    let summary = user.service_account.map(|service_account| {
        (
            service_account,
            user.service_account_expiration.clone(),
            user.password_expiration.clone(),
        )
    });
    let password_expiration = user.password_expiration.clone();
    state.refresh_user(user);
    // Known to be missing (one check per process): no call per user that would only say so again.
    let authentication_missing = summary.is_none()
        && matches!(
            client.endpoint_support(Endpoint::Authentication).await,
            Ok(Support::Missing { .. })
        );
    if authentication_missing {
        state.password_expires_at = from_api(password_expiration);
        return refresh_memberships(client, diags, state, id, memberships, group_ids, role_ids)
            .await;
    }
    let (service_account, remote_expiration, password_expiration) = match summary {
        Some(summary) => summary,
        None => match client.get_authentication(id).await {
            Ok(a) => (
                a.service_account,
                a.service_account_expiration,
                a.password_expiration,
            ),
            Err(e) if e.is_not_found() => return Some(false),
            // A tenant without the endpoint: what cannot be read stays as it was in the state
            // (plan-time checks keep Terraform from writing it there).
            Err(e) if e.is_unsupported() => {
                state.password_expires_at = from_api(password_expiration);
                return refresh_memberships(
                    client,
                    diags,
                    state,
                    id,
                    memberships,
                    group_ids,
                    role_ids,
                )
                .await;
            }
            Err(e) => {
                api_error(
                    diags,
                    RESOURCE,
                    "reading the user's authentication",
                    &e,
                    FIELDS,
                );
                return None;
            }
        },
    };
    state.service_account = Value::Value(service_account);
    let keep_written_form = matches!(
        (known(&state.service_account_expires_at), remote_expiration.as_deref()),
        (Some(a), Some(b)) if same_instant(a, b)
    );
    if !keep_written_form {
        state.service_account_expires_at = from_api(remote_expiration);
    }
    state.password_expires_at = from_api(password_expiration);
    refresh_memberships(client, diags, state, id, memberships, group_ids, role_ids).await
}

/// Non-null `user_group_ids`/`role_ids` are authoritative: the plan fails when a membership
/// resource manages the same user's groups or roles.
fn claim_memberships(
    client: &ClientHandle,
    diags: &mut Diagnostics,
    id: &TfString,
    config: &UserState,
) -> Option<()> {
    let Some(user_id) = known(id) else {
        return Some(());
    };
    let groups = (Aspect::UserGroups, &config.user_group_ids, "user_group_ids");
    let roles = (Aspect::Roles, &config.role_ids, "role_ids");
    for ((aspect, value, attribute), shape) in [
        (groups, "contactpro_user.user_group_ids"),
        (roles, "contactpro_user.role_ids"),
    ] {
        if !matches!(value, Value::Null) {
            let path = AttributePath::new(attribute);
            client
                .ownership
                .claim(diags, aspect, user_id, shape, true, path)?;
        }
    }
    Some(())
}

async fn refresh_memberships(
    client: &RciClient,
    diags: &mut Diagnostics,
    state: &mut UserState,
    id: &str,
    memberships: bool,
    group_ids: Option<Vec<String>>,
    role_ids: Option<Vec<String>>,
) -> Option<bool> {
    if !memberships {
        return Some(true);
    }
    for kind in [Membership::UserGroups, Membership::Roles] {
        let managed = match kind {
            Membership::UserGroups => &state.user_group_ids,
            Membership::Roles => &state.role_ids,
        };
        if matches!(managed, Value::Null) {
            continue;
        }
        let carried = match kind {
            Membership::UserGroups => group_ids.clone(),
            Membership::Roles => role_ids.clone(),
        };
        let set = match carried {
            Some(ids) => set_of(ids),
            None => read_memberships(client, diags, id, kind).await?,
        };
        match kind {
            Membership::UserGroups => state.user_group_ids = set,
            Membership::Roles => state.role_ids = set,
        }
    }
    Some(true)
}

/// The state after a successful write. Only a password change moves a value the server computes
/// (`password_expires_at`, planned unknown then), so only then is the user read back (one GET);
/// otherwise the state is what was sent, normalised as a read would return it, which saves a GET
/// per object. `new_without_password`: a user just created without a password, whose
/// `passwordExpiration` the contract says is null.
async fn settle_after_write(
    client: &RciClient,
    diags: &mut Diagnostics,
    state: &mut UserState,
    id: &str,
    new_without_password: bool,
) -> Option<bool> {
    if is_unknown(&state.password_expires_at) && !new_without_password {
        return refresh(client, diags, state, id, false).await;
    }
    let input = state.to_input();
    state.refresh_user(User {
        id: id.to_string(),
        first_name: input.first_name,
        surname: input.surname,
        login: input.login,
        email: input.email,
        title: input.title,
        location: input.location,
        time_zone: input.time_zone,
        ui_language: input.ui_language,
        prompt_language: input.prompt_language,
        external_id: input.external_id,
        ..User::default()
    });
    // Null: the tenant cannot tell (no authentication endpoint), and nothing was written there.
    if !matches!(state.service_account, Value::Null) {
        state.service_account = Value::Value(matches!(state.service_account, Value::Value(true)));
    }
    state.service_account_expires_at = from_api(to_api(&state.service_account_expires_at));
    if is_unknown(&state.password_expires_at) {
        state.password_expires_at = Value::Null;
    }
    Some(true)
}

/// Applies configured memberships; `None` in config leaves them alone.
async fn apply_memberships(
    client: &RciClient,
    diags: &mut Diagnostics,
    user_id: &str,
    config: &UserState,
) -> Option<()> {
    for (kind, configured) in [
        (Membership::UserGroups, &config.user_group_ids),
        (Membership::Roles, &config.role_ids),
    ] {
        if let Some(wanted) = known_set(configured) {
            sync_memberships(client, diags, user_id, kind, &wanted).await?;
        }
    }
    Some(())
}

/// The state to return with an error once the user exists: Terraform records it (tainted)
/// instead of forgetting it, and rejects unknown values in it.
fn partial(mut state: UserState) -> UserState {
    for set in [&mut state.user_group_ids, &mut state.role_ids] {
        if is_unknown(set) || set_has_unknown(set) {
            *set = Value::Null;
        }
    }
    if is_unknown(&state.password_expires_at) {
        state.password_expires_at = Value::Null;
    }
    if is_unknown(&state.service_account) {
        state.service_account = Value::Null;
    }
    state
}

/// Computed values in a plan: what the provider decides when the configuration is silent.
fn plan_computed(planned: &mut UserState, config: &UserState, prior: Option<&UserState>) {
    if matches!(config.service_account, Value::Null) {
        // A prior null is a tenant that cannot report it: leave it, as nothing will be written.
        let unreadable = prior.is_some_and(|p| matches!(p.service_account, Value::Null));
        planned.service_account = if unreadable {
            Value::Null
        } else {
            Value::Value(false)
        };
    }
    for (planned_set, config_set, prior_set) in [
        (
            &mut planned.user_group_ids,
            &config.user_group_ids,
            prior.map(|p| &p.user_group_ids),
        ),
        (
            &mut planned.role_ids,
            &config.role_ids,
            prior.map(|p| &p.role_ids),
        ),
    ] {
        if matches!(config_set, Value::Null) {
            *planned_set = match prior_set {
                Some(prior) => prior.clone(),
                None => Value::Unknown,
            };
        }
    }
    let writes_wo = planned.writes_password_wo(prior);
    planned.password_expires_at = match prior {
        Some(p) if p.password == planned.password && !writes_wo => p.password_expires_at.clone(),
        _ => Value::Unknown,
    };
}

#[async_trait]
impl Resource for UserResource {
    type State<'a> = Value<UserState>;
    type PrivateState<'a> = ValueEmpty;
    type ProviderMetaState<'a> = ValueEmpty;

    fn schema(&self, _diags: &mut Diagnostics) -> Option<Schema> {
        Some(schema(block(
            "A Contact Pro user, such as the dedicated API user of an integration, with its logon authentication, user groups and roles.",
            vec![
                ("id", computed(string(), "Id of the user (32 hexadecimal characters).")),
                ("first_name", required(string(), "First name, 1 to 400 characters.")),
                ("last_name", required(string(), "Last name (the API's `surname`), 1 to 400 characters.")),
                ("login", required(string(), "Logon name, unique in the tenant: letters, digits and `.`, `_`, `@`, `-`; no spaces. Changing it keeps the password.")),
                ("email", optional(string(), "E-mail address.")),
                ("title", optional(string(), "Title.")),
                ("location", optional(string(), "Location.")),
                ("time_zone", optional(string(), "Time zone, for example `Europe/Helsinki`.")),
                ("ui_language", optional(string(), "User interface language, for example `en`.")),
                ("prompt_language", optional(string(), "Prompt language, for example `en`.")),
                ("external_id", optional(string(), "External id, for example from a directory.")),
                ("user_group_ids", optional_computed(string_set(), "Ids of the user groups the user belongs to. When set, the list is authoritative: memberships not in it are removed. When not set, the provider leaves memberships alone and shows the current ones. Put users in All Users or one of its subgroups.")),
                ("role_ids", optional_computed(string_set(), "Ids of the roles the user has. When set, the list is authoritative; when not set, roles are left alone.")),
                ("password", sensitive(optional(string(), "Password: at least 16 characters, no letters outside the Latin alphabet (no umlauts or Scandinavian letters), none of `¤ £ € ½ §`. Sent on create and whenever the configured value changes; the API never returns it, so a change made outside Terraform is not detected. To keep a password out of Terraform state altogether, use `password_wo` instead (Terraform 1.11 or newer), or leave this unset and let `contactpro_secret`'s `user_credentials` generate it."))),
                ("password_wo", optional(string(), "Write-only form of `password` (Terraform 1.11 or newer), with the same rules: sent on create and whenever `password_wo_version` changes, and never stored in plan or state, so it may come from an ephemeral value (an `ephemeral = true` variable, or the ephemeral resource `contactpro_password` for a generated one). Requires `password_wo_version`; conflicts with `password`. Older Terraform versions reject it at plan.")),
                ("password_wo_version", optional(string(), "Version of `password_wo`, stored in state (a string; a number such as `1` is accepted and converted): change it to set the current `password_wo` on the user again. Required with `password_wo`.")),
                ("service_account", optional_computed(AttributeType::Bool, "Whether the user is a service account for integrations: its password does not expire and need not be changed at first logon. Default `false`.")),
                ("service_account_expires_at", optional(string(), "When the service account expires, as an RFC 3339 time in the future (for example `2027-06-30T00:00:00Z`). Required when `service_account` is true.")),
                ("password_expires_at", computed(string(), "When the current password expires, as the API reports it.")),
            ],
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
        let id = known(&state.id).unwrap_or_default();
        let login = known(&state.login).unwrap_or_default();
        let id = match client.user_id_or_login(id, login).await {
            Ok(Some(id)) => id,
            Ok(None) => return Some((Value::Null, private_state)),
            Err(e) => {
                api_error(diags, RESOURCE, "reading the user", &e, FIELDS);
                return None;
            }
        };
        if refresh(&client, diags, &mut state, &id, true).await? {
            Some((Value::Value(state), private_state))
        } else {
            confirm_gone(&client, diags, RESOURCE, Collection::Users, &id).await?;
            Some((Value::Null, private_state))
        }
    }

    async fn plan_create<'a>(
        &self,
        diags: &mut Diagnostics,
        proposed_state: Self::State<'a>,
        config_state: Self::State<'a>,
        _meta: Self::ProviderMetaState<'a>,
    ) -> Option<(Self::State<'a>, Self::PrivateState<'a>)> {
        let (Value::Value(mut planned), Value::Value(config)) = (proposed_state, config_state)
        else {
            return Some((Value::Null, Value::Null));
        };
        PASSWORD_WO.require_support(diags, &self.capabilities, &config.password_wo)?;
        let client = self
            .client
            .get_checked(diags, RESOURCE, Probe::Users)
            .await?;
        // The checks below see the configured value; the plan never holds it.
        planned.password_wo = config.password_wo.clone();
        planned.id = Value::Unknown;
        plan_computed(&mut planned, &config, None);
        check_expiration_is_future(diags, &planned, None);
        check_tenant_offers(&client, diags, &planned, None).await?;
        planned.password_wo = Value::Null.into();
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
    ) -> Option<(Self::State<'a>, Self::PrivateState<'a>, Vec<AttributePath>)> {
        let (Value::Value(prior), Value::Value(mut planned), Value::Value(config)) =
            (&prior_state, proposed_state, config_state)
        else {
            return Some((Value::Null, prior_private_state, vec![]));
        };
        PASSWORD_WO.require_support(diags, &self.capabilities, &config.password_wo)?;
        // The checks below see the configured value; the plan never holds it.
        planned.password_wo = config.password_wo.clone();
        planned.id = prior.id.clone();
        claim_memberships(&self.client, diags, &prior.id, &config)?;
        plan_computed(&mut planned, &config, Some(prior));
        check_expiration_is_future(diags, &planned, Some(prior));
        check_login_change(diags, &planned, Some(prior));
        let writes_wo = planned.writes_password_wo(Some(prior));
        planned.password_wo = Value::Null.into();
        if planned != *prior || writes_wo {
            let client = self.client.get(diags)?;
            planned.password_wo = config.password_wo.clone();
            let offered = check_tenant_offers(&client, diags, &planned, Some(prior)).await;
            planned.password_wo = Value::Null.into();
            offered?;
        }
        Some((Value::Value(planned), prior_private_state, vec![]))
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
        planned_private_state: Self::PrivateState<'a>,
        _meta: Self::ProviderMetaState<'a>,
    ) -> Option<(Self::State<'a>, Self::PrivateState<'a>)> {
        let (Value::Value(mut planned), Value::Value(config)) = (planned_state, config_state)
        else {
            return None;
        };
        let client = self.client.get(diags)?;
        let id = match client.create_user(&planned.to_input()).await {
            Ok(id) => id,
            Err(e) if e.is_create_unresolved() => {
                api_error(diags, RESOURCE, "creating the user", &e, FIELDS);
                // The user may exist: record it without an id; read and destroy find it by
                // login, so the next apply neither orphans nor duplicates it.
                planned.id = Value::Value(String::new());
                return Some((Value::Value(partial(planned)), planned_private_state));
            }
            Err(e) => {
                api_error(diags, RESOURCE, "creating the user", &e, FIELDS);
                return None;
            }
        };
        planned.id = Value::Value(id.clone());
        // From here on the user exists: on failure return it with the error, so Terraform
        // records it (tainted) instead of orphaning it.
        let password = known(&planned.password)
            .or(known(&config.password_wo))
            .map(SecretString::new);
        let new_without_password = password.is_none();
        let needs_authentication =
            password.is_some() || matches!(planned.service_account, Value::Value(true));
        if needs_authentication {
            if let Err(e) = client
                .set_authentication(&id, &planned.authentication_input(password))
                .await
            {
                api_error(
                    diags,
                    RESOURCE,
                    "setting the user's authentication",
                    &e,
                    FIELDS,
                );
                return Some((Value::Value(partial(planned)), planned_private_state));
            }
        }
        if apply_memberships(&client, diags, &id, &config)
            .await
            .is_none()
        {
            return Some((Value::Value(partial(planned)), planned_private_state));
        }
        for set in [&mut planned.user_group_ids, &mut planned.role_ids] {
            if is_unknown(set) || set_has_unknown(set) {
                *set = Value::Unknown;
            }
        }
        // Unmanaged memberships show what the tenant gave the new user: one GET of the user when
        // it carries membership ids, else the membership lists. A failed read here must not drop
        // the user from the state either.
        let unknown = |set: &TfSet| matches!(set, Value::Unknown);
        if unknown(&planned.user_group_ids) || unknown(&planned.role_ids) {
            let carried = client.get_user(&id).await.ok();
            for kind in [Membership::UserGroups, Membership::Roles] {
                let (set, ids) = match kind {
                    Membership::UserGroups => (
                        &mut planned.user_group_ids,
                        carried.as_ref().and_then(|u| u.user_group_ids.clone()),
                    ),
                    Membership::Roles => (
                        &mut planned.role_ids,
                        carried.as_ref().and_then(|u| u.role_ids.clone()),
                    ),
                };
                if unknown(set) {
                    *set = match ids {
                        Some(ids) => set_of(ids),
                        None => match read_memberships(&client, diags, &id, kind).await {
                            Some(read) => read,
                            None => {
                                return Some((
                                    Value::Value(partial(planned)),
                                    planned_private_state,
                                ))
                            }
                        },
                    };
                }
            }
        }
        if settle_after_write(&client, diags, &mut planned, &id, new_without_password)
            .await
            .is_none()
        {
            return Some((Value::Value(partial(planned)), planned_private_state));
        }
        Some((Value::Value(planned), planned_private_state))
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
        let (Value::Value(prior), Value::Value(mut planned), Value::Value(config)) =
            (&prior_state, planned_state, config_state)
        else {
            return None;
        };
        let client = self.client.get(diags)?;
        let id = known(&prior.id).unwrap_or_default().to_string();
        let new_password = password_to_write(prior, &planned, &config);
        let password_changed = new_password.is_some();
        let login_changed = login_changes(&planned, Some(prior));
        let authentication_changed = password_changed
            || planned.service_account != prior.service_account
            || planned.service_account_expires_at != prior.service_account_expires_at;
        // Contact Pro changes a logon name only together with the password, on the authentication
        // tab: that goes first, so the user's PUT then carries the login the tenant already holds.
        if login_changed {
            let input = planned.authentication_input(new_password.clone());
            if let Err(e) = client.set_authentication(&id, &input).await {
                let action = "changing the user's logon name and password";
                api_error(diags, RESOURCE, action, &e, FIELDS);
                return Some((prior_state, planned_private_state));
            }
        }
        if planned.to_input() != prior.to_input() {
            if let Err(e) = client.update_user(&id, &planned.to_input()).await {
                api_error(diags, RESOURCE, "updating the user", &e, FIELDS);
                if !login_changed {
                    return Some((prior_state, planned_private_state));
                }
                let mut partial = prior.clone();
                partial.login = planned.login.clone();
                partial.password = planned.password.clone();
                partial.password_wo_version = planned.password_wo_version.clone();
                partial.service_account = planned.service_account;
                partial.service_account_expires_at = planned.service_account_expires_at.clone();
                partial.password_expires_at = Value::Null;
                return Some((Value::Value(partial), planned_private_state));
            }
        }
        if authentication_changed && !login_changed {
            let input = planned.authentication_input(new_password);
            if let Err(e) = client.set_authentication(&id, &input).await {
                api_error(
                    diags,
                    RESOURCE,
                    "updating the user's authentication",
                    &e,
                    FIELDS,
                );
                let mut partial = planned.clone();
                partial.password = prior.password.clone();
                partial.password_wo_version = prior.password_wo_version.clone();
                partial.service_account = prior.service_account;
                partial.service_account_expires_at = prior.service_account_expires_at.clone();
                partial.password_expires_at = prior.password_expires_at.clone();
                return Some((Value::Value(partial), planned_private_state));
            }
        }
        if apply_memberships(&client, diags, &id, &config)
            .await
            .is_none()
        {
            let mut partial = planned.clone();
            partial.user_group_ids = prior.user_group_ids.clone();
            partial.role_ids = prior.role_ids.clone();
            partial.password_expires_at = prior.password_expires_at.clone();
            return Some((Value::Value(partial), planned_private_state));
        }
        if settle_after_write(&client, diags, &mut planned, &id, false).await != Some(true) {
            diags.root_error(
                format!("{RESOURCE}: the user {id} vanished during the update"),
                "Run `terraform apply` again to re-create it.",
            );
            return None;
        }
        Some((Value::Value(planned), planned_private_state))
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
        let id = known(&prior.id).unwrap_or_default();
        let login = known(&prior.login).unwrap_or_default();
        let id = match client.user_id_or_login(id, login).await {
            Ok(Some(id)) => id,
            Ok(None) => return Some(()),
            Err(e) => {
                api_error(diags, RESOURCE, "deleting the user", &e, FIELDS);
                return None;
            }
        };
        match client.delete_user(&id).await {
            Ok(()) => Some(()),
            Err(e) if e.is_not_found() => Some(()),
            Err(e) => {
                api_error(diags, RESOURCE, "deleting the user", &e, FIELDS);
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
            match client.get_user(&id).await {
                Ok(user) => Ok(Some(user)),
                Err(e) if e.is_not_found() => Ok(None),
                Err(e) => Err(e),
            }
        } else {
            client.find_user_by_login(&id).await
        };
        let user = match found {
            Ok(Some(user)) => user,
            Ok(None) => {
                diags.root_error(
                    format!("{RESOURCE}: nothing to import"),
                    format!("No user has the id or login {id:?}. Import takes the user's id (32 hexadecimal characters) or its login."),
                );
                return None;
            }
            Err(e) => {
                api_error(diags, RESOURCE, "importing the user", &e, FIELDS);
                return None;
            }
        };
        let user_id = user.id.clone();
        let mut state = UserState {
            user_group_ids: Value::Value(BTreeSet::new()),
            role_ids: Value::Value(BTreeSet::new()),
            ..Default::default()
        };
        state.refresh_user(user);
        if !refresh(&client, diags, &mut state, &user_id, true).await? {
            diags.root_error(
                format!("{RESOURCE}: the user {id:?} vanished during import"),
                "Try the import again.",
            );
            return None;
        }
        Some((Value::Value(state), Value::Null))
    }
}
