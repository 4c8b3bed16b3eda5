//! `contactpro_user_group_membership` and `contactpro_user_role_membership`: one membership of one
//! user, additively (the user's other groups or roles are left alone). Both use the documented
//! `users/{id}/userGroups` and `users/{id}/roles`. Do not combine with `user_group_ids` or
//! `role_ids` of `contactpro_user` for the same user: those are authoritative.

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use tf_provider::schema::Schema;
use tf_provider::value::{Value, ValueEmpty};
use tf_provider::{AttributePath, Diagnostics, Resource};

use crate::resources::user_right::user_id_of;
use crate::tf::client_handle::{ClientHandle, Probe};
use crate::tf::diag::{api_error, attribute_error, confirm_gone, Collection};
use crate::tf::ownership::Aspect;
use crate::tf::schema::{block, computed, required, schema, string};
use crate::tf::values::{known, TfString};
use contactpro_rci::{Membership, RciClient};
use contactpro_rules as policy;

/// What differs between the two resources.
#[derive(Clone, Copy)]
pub struct Kind {
    resource: &'static str,
    membership: Membership,
    /// The attribute holding the group's or role's id.
    target: &'static str,
    /// "user group" or "role".
    what: &'static str,
    aspect: Aspect,
}

pub const USER_GROUP: Kind = Kind {
    resource: "contactpro_user_group_membership",
    membership: Membership::UserGroups,
    target: "user_group_id",
    what: "user group",
    aspect: Aspect::UserGroups,
};

pub const ROLE: Kind = Kind {
    resource: "contactpro_user_role_membership",
    membership: Membership::Roles,
    target: "role_id",
    what: "role",
    aspect: Aspect::Roles,
};

/// Both resources' state; `target_id` is serialized under the kind's attribute name.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct MembershipState {
    pub id: TfString,
    pub user_id: TfString,
    pub target_id: TfString,
}

#[derive(Serialize, Deserialize, Default)]
struct GroupWire {
    #[serde(default)]
    id: TfString,
    #[serde(default)]
    user_id: TfString,
    #[serde(default)]
    user_group_id: TfString,
}

#[derive(Serialize, Deserialize, Default)]
struct RoleWire {
    #[serde(default)]
    id: TfString,
    #[serde(default)]
    user_id: TfString,
    #[serde(default)]
    role_id: TfString,
}

/// A state serialized under the group kind's attribute names.
pub struct GroupState(MembershipState);
/// A state serialized under the role kind's attribute names.
pub struct RoleState(MembershipState);

impl Serialize for GroupState {
    fn serialize<S: serde::Serializer>(&self, ser: S) -> Result<S::Ok, S::Error> {
        let s = &self.0;
        GroupWire {
            id: s.id.clone(),
            user_id: s.user_id.clone(),
            user_group_id: s.target_id.clone(),
        }
        .serialize(ser)
    }
}

impl<'de> Deserialize<'de> for GroupState {
    fn deserialize<D: serde::Deserializer<'de>>(de: D) -> Result<Self, D::Error> {
        let w = GroupWire::deserialize(de)?;
        Ok(GroupState(MembershipState {
            id: w.id,
            user_id: w.user_id,
            target_id: w.user_group_id,
        }))
    }
}

impl Serialize for RoleState {
    fn serialize<S: serde::Serializer>(&self, ser: S) -> Result<S::Ok, S::Error> {
        let s = &self.0;
        RoleWire {
            id: s.id.clone(),
            user_id: s.user_id.clone(),
            role_id: s.target_id.clone(),
        }
        .serialize(ser)
    }
}

impl<'de> Deserialize<'de> for RoleState {
    fn deserialize<D: serde::Deserializer<'de>>(de: D) -> Result<Self, D::Error> {
        let w = RoleWire::deserialize(de)?;
        Ok(RoleState(MembershipState {
            id: w.id,
            user_id: w.user_id,
            target_id: w.role_id,
        }))
    }
}

impl MembershipState {
    fn user(&self) -> &str {
        known(&self.user_id).unwrap_or_default()
    }
    fn target(&self) -> &str {
        known(&self.target_id).unwrap_or_default()
    }
    fn composite_id(&self) -> String {
        format!("{}/{}", self.user(), self.target())
    }
}

/// Converts between the kind-independent state and the kind's serialized form.
pub trait KindState: Sized + Send {
    fn into_state(self) -> MembershipState;
    fn from_state(state: MembershipState) -> Self;
}

impl KindState for GroupState {
    fn into_state(self) -> MembershipState {
        self.0
    }
    fn from_state(state: MembershipState) -> Self {
        GroupState(state)
    }
}

impl KindState for RoleState {
    fn into_state(self) -> MembershipState {
        self.0
    }
    fn from_state(state: MembershipState) -> Self {
        RoleState(state)
    }
}

pub struct MembershipResource<W> {
    client: ClientHandle,
    kind: Kind,
    _wire: std::marker::PhantomData<fn() -> W>,
}

impl<W> MembershipResource<W> {
    pub fn new(client: ClientHandle, kind: Kind) -> Self {
        Self {
            client,
            kind,
            _wire: std::marker::PhantomData,
        }
    }

    fn claim(&self, diags: &mut Diagnostics, state: &MembershipState) -> Option<()> {
        match known(&state.user_id) {
            Some(user_id) => self.client.ownership.claim(
                diags,
                self.kind.aspect,
                user_id,
                self.kind.resource,
                false,
                AttributePath::new("user_id"),
            ),
            None => Some(()),
        }
    }

    /// `Some(Some(true))` member, `Some(Some(false))` not a member, `Some(None)` user gone.
    async fn is_member(
        &self,
        client: &RciClient,
        diags: &mut Diagnostics,
        state: &MembershipState,
    ) -> Option<Option<bool>> {
        match client
            .list_memberships(state.user(), self.kind.membership)
            .await
        {
            Ok(items) => Some(Some(
                items
                    .iter()
                    .any(|m| m.id.eq_ignore_ascii_case(state.target())),
            )),
            Err(e) if e.is_not_found() => Some(None),
            Err(e) => {
                let action = format!("reading the user's {}s", self.kind.what);
                api_error(diags, self.kind.resource, &action, &e, &[]);
                None
            }
        }
    }

    /// The id of the group or role named `key` (an id is taken as it is).
    async fn target_id_of(
        &self,
        client: &RciClient,
        diags: &mut Diagnostics,
        key: &str,
    ) -> Option<String> {
        if policy::is_id(key) {
            return Some(key.to_string());
        }
        let found = match self.kind.membership {
            Membership::UserGroups => client
                .list_user_groups(Some(key))
                .await
                .map(|l| l.into_iter().map(|g| (g.id, g.name)).collect::<Vec<_>>()),
            Membership::Roles => client
                .list_roles(Some(key))
                .await
                .map(|l| l.into_iter().map(|r| (r.id, r.name)).collect()),
        };
        match found {
            Ok(items) => {
                let mut matches: Vec<_> = items.into_iter().filter(|(_, n)| n == key).collect();
                if matches.len() == 1 {
                    return matches.pop().map(|(id, _)| id);
                }
                diags.root_error(
                    format!("{}: nothing to import", self.kind.resource),
                    format!(
                        "{} {}s are named {key:?}; use the {}'s id in the import id.",
                        matches.len(),
                        self.kind.what,
                        self.kind.what
                    ),
                );
                None
            }
            Err(e) => {
                let action = format!("importing: looking up the {} {key:?}", self.kind.what);
                api_error(diags, self.kind.resource, &action, &e, &[]);
                None
            }
        }
    }
}

#[async_trait]
impl<W> Resource for MembershipResource<W>
where
    W: KindState + Serialize + for<'de> Deserialize<'de> + Sync + 'static,
{
    type State<'a> = Value<W>;
    type PrivateState<'a> = ValueEmpty;
    type ProviderMetaState<'a> = ValueEmpty;

    fn schema(&self, _diags: &mut Diagnostics) -> Option<Schema> {
        let k = self.kind;
        let doc = format!("One membership of one user in a {what}, additively: the user's other {what}s are left alone, and destroy removes only this membership. If the user already was a member, Terraform adopts the membership, and destroy removes it. Do not combine it with `contactpro_user.{attr}` (authoritative) for the same user.", what = k.what, attr = match k.membership { Membership::UserGroups => "user_group_ids", Membership::Roles => "role_ids" });
        let target_doc = format!(
            "Id of the {} (32 hexadecimal characters). Changing it replaces the resource.",
            k.what
        );
        Some(schema(block(
            &doc,
            vec![
                (
                    "id",
                    computed(string(), &format!("`<user_id>/<{}>`.", k.target)),
                ),
                (
                    "user_id",
                    required(
                        string(),
                        "Id of the user. Changing it replaces the resource.",
                    ),
                ),
                (k.target, required(string(), &target_doc)),
            ],
        )))
    }

    async fn validate<'a>(&self, diags: &mut Diagnostics, config: Self::State<'a>) -> Option<()> {
        if let Value::Value(config) = config {
            let config = config.into_state();
            for (attribute, value) in [
                ("user_id", &config.user_id),
                (self.kind.target, &config.target_id),
            ] {
                if let Some(id) = known(value) {
                    if !policy::is_id(id) {
                        attribute_error(diags, self.kind.resource, AttributePath::new(attribute), attribute, format!("{id:?} is not an id: ids are 32 upper-case hexadecimal characters, for example `contactpro_user.api.id` or `data.contactpro_user_group.agents.id`."));
                    }
                }
            }
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
        let Value::Value(state) = state else {
            return Some((state, private_state));
        };
        let state = state.into_state();
        let client = self.client.get(diags)?;
        match self.is_member(&client, diags, &state).await? {
            Some(true) => Some((Value::Value(W::from_state(state)), private_state)),
            Some(false) => Some((Value::Null, private_state)),
            None => {
                let resource = self.kind.resource;
                confirm_gone(&client, diags, resource, Collection::Users, state.user()).await?;
                Some((Value::Null, private_state))
            }
        }
    }

    async fn plan_create<'a>(
        &self,
        diags: &mut Diagnostics,
        proposed_state: Self::State<'a>,
        _config_state: Self::State<'a>,
        _meta: Self::ProviderMetaState<'a>,
    ) -> Option<(Self::State<'a>, Self::PrivateState<'a>)> {
        let Value::Value(planned) = proposed_state else {
            return Some((Value::Null, Value::Null));
        };
        let mut planned = planned.into_state();
        self.claim(diags, &planned)?;
        self.client
            .get_checked(diags, self.kind.resource, Probe::Users)
            .await?;
        planned.id = match (known(&planned.user_id), known(&planned.target_id)) {
            (Some(_), Some(_)) => Value::Value(planned.composite_id()),
            _ => Value::Unknown,
        };
        Some((Value::Value(W::from_state(planned)), Value::Null))
    }

    async fn plan_update<'a>(
        &self,
        diags: &mut Diagnostics,
        prior_state: Self::State<'a>,
        proposed_state: Self::State<'a>,
        _config_state: Self::State<'a>,
        prior_private_state: Self::PrivateState<'a>,
        _meta: Self::ProviderMetaState<'a>,
    ) -> Option<(Self::State<'a>, Self::PrivateState<'a>, Vec<AttributePath>)> {
        let (Value::Value(prior), Value::Value(planned)) = (prior_state, proposed_state) else {
            return Some((Value::Null, prior_private_state, vec![]));
        };
        let (prior, mut planned) = (prior.into_state(), planned.into_state());
        self.claim(diags, &planned)?;
        let mut replace = vec![];
        if planned.user_id != prior.user_id {
            replace.push(AttributePath::new("user_id"));
        }
        if planned.target_id != prior.target_id {
            replace.push(AttributePath::new(self.kind.target));
        }
        planned.id = if replace.is_empty() {
            prior.id
        } else {
            Value::Unknown
        };
        Some((
            Value::Value(W::from_state(planned)),
            prior_private_state,
            replace,
        ))
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
        _config_state: Self::State<'a>,
        planned_private_state: Self::PrivateState<'a>,
        _meta: Self::ProviderMetaState<'a>,
    ) -> Option<(Self::State<'a>, Self::PrivateState<'a>)> {
        let Value::Value(planned) = planned_state else {
            return None;
        };
        let mut planned = planned.into_state();
        let client = self.client.get(diags)?;
        let k = self.kind;
        if let Err(e) = client
            .add_membership(planned.user(), k.membership, planned.target())
            .await
        {
            diags.error(
                format!(
                    "{}: adding user {} to the {} {} failed",
                    k.resource,
                    planned.user(),
                    k.what,
                    planned.target()
                ),
                format!(
                    "{e}. Check that `user_id` and `{}` name existing objects.",
                    k.target
                ),
                AttributePath::new(k.target),
            );
            return None;
        }
        planned.id = Value::Value(planned.composite_id());
        Some((Value::Value(W::from_state(planned)), planned_private_state))
    }

    async fn update<'a>(
        &self,
        _diags: &mut Diagnostics,
        _prior_state: Self::State<'a>,
        planned_state: Self::State<'a>,
        _config_state: Self::State<'a>,
        planned_private_state: Self::PrivateState<'a>,
        _meta: Self::ProviderMetaState<'a>,
    ) -> Option<(Self::State<'a>, Self::PrivateState<'a>)> {
        // Every attribute replaces the resource: nothing to write.
        Some((planned_state, planned_private_state))
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
        let prior = prior.into_state();
        let client = self.client.get(diags)?;
        let k = self.kind;
        match client
            .remove_membership(prior.user(), k.membership, prior.target())
            .await
        {
            Ok(()) => Some(()),
            // The membership or the user is gone already.
            Err(e) if e.is_not_found() => Some(()),
            Err(e) => {
                let action = format!("removing the user from the {} {}", k.what, prior.target());
                api_error(diags, k.resource, &action, &e, &[]);
                None
            }
        }
    }

    async fn import<'a>(
        &self,
        diags: &mut Diagnostics,
        id: String,
    ) -> Option<(Self::State<'a>, Self::PrivateState<'a>)> {
        let k = self.kind;
        let Some((user, target)) = id
            .rsplit_once('/')
            .filter(|(u, t)| !u.is_empty() && !t.is_empty())
        else {
            diags.root_error(
                format!("{}: invalid import id {id:?}", k.resource),
                format!("Use `<user id or login>/<{} id or name>`, for example `api.attachments/Sample Agents Group`.", k.what),
            );
            return None;
        };
        let client = self.client.get(diags)?;
        let user_id = user_id_of(&client, diags, k.resource, user).await?;
        let target_id = self.target_id_of(&client, diags, target).await?;
        let mut state = MembershipState {
            id: Value::Null,
            user_id: Value::Value(user_id),
            target_id: Value::Value(target_id),
        };
        match self.is_member(&client, diags, &state).await? {
            Some(true) => {
                state.id = Value::Value(state.composite_id());
                Some((Value::Value(W::from_state(state)), Value::Null))
            }
            _ => {
                diags.root_error(
                    format!("{}: nothing to import", k.resource),
                    format!(
                        "User {} is not a member of the {} {}.",
                        state.user(),
                        k.what,
                        state.target()
                    ),
                );
                None
            }
        }
    }
}
