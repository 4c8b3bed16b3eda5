//! From what each endpoint answered to which resources and attributes of this provider can work.
//! Pure: unit-tested without any server.

use serde::Serialize;
use std::collections::BTreeMap;

/// The RCI endpoints the provider uses, in the order the probe reports them: the client's own list,
/// so the probe and the provider's plan-time checks never disagree on a path.
pub use contactpro_rci::Endpoint;

/// How an endpoint answered the probe's GET.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// 2xx with JSON of the expected shape.
    Offered,
    /// 404 or 405: this tenant does not offer it.
    Missing,
    /// 403: the API user lacks a right (the message names it, when the tenant says).
    Forbidden,
    /// Any other answer, or none: whether it works is unknown.
    Failed,
    /// Not asked, e.g. no user was visible to ask `users/{id}/...` with.
    NotChecked,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Observed {
    pub status: Option<u16>,
    pub outcome: Outcome,
    /// The tenant's message, or why nothing was asked; never a credential (scrubbed).
    pub message: Option<String>,
}

impl Observed {
    pub fn offered(status: u16) -> Self {
        Observed {
            status: Some(status),
            outcome: Outcome::Offered,
            message: None,
        }
    }

    /// One line for a person: "HTTP 404: no such resource: secrets".
    pub fn describe(&self) -> String {
        let status = self
            .status
            .map_or_else(|| "no answer".to_string(), |s| format!("HTTP {s}"));
        let what = match self.outcome {
            Outcome::Offered => "offered",
            Outcome::Missing => "not offered by this tenant",
            Outcome::Forbidden => "the API user lacks a right",
            Outcome::Failed => "unexpected answer",
            Outcome::NotChecked => "not checked",
        };
        match &self.message {
            Some(m) if !m.is_empty() => format!("{status}, {what}: {m}"),
            _ => format!("{status}, {what}"),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Resource,
    Attribute,
    DataSource,
}

/// One resource, attribute or data source of this provider and what it needs.
struct Subject {
    name: &'static str,
    kind: Kind,
    needs: &'static [Endpoint],
    /// What to do in System Configurator when it cannot work.
    instead: &'static str,
}

const SUBJECTS: &[Subject] = &[
    Subject {
        name: "contactpro_user",
        kind: Kind::Resource,
        needs: &[Endpoint::Users, Endpoint::UserById],
        instead: "create and edit the user in System Configurator > Users; remove `contactpro_user` resources",
    },
    Subject {
        name: "contactpro_user.password",
        kind: Kind::Attribute,
        needs: &[Endpoint::Authentication],
        instead: "set the password in System Configurator > User > Authentication; leave `password` unset",
    },
    Subject {
        name: "contactpro_user.service_account",
        kind: Kind::Attribute,
        needs: &[Endpoint::Authentication],
        instead: "tick Assign Expiration Time for Service Account in System Configurator > User > Authentication; leave `service_account` unset",
    },
    Subject {
        name: "contactpro_user.service_account_expires_at",
        kind: Kind::Attribute,
        needs: &[Endpoint::Authentication],
        instead: "set Expiration of Service Account in System Configurator > User > Authentication; leave `service_account_expires_at` unset",
    },
    Subject {
        name: "contactpro_user.user_group_ids",
        kind: Kind::Attribute,
        needs: &[Endpoint::UserGroupMemberships],
        instead: "add the user to its groups in System Configurator > User Groups > Members; leave `user_group_ids` unset",
    },
    Subject {
        name: "contactpro_user.role_ids",
        kind: Kind::Attribute,
        needs: &[Endpoint::RoleMemberships],
        instead: "assign roles in System Configurator (on the user's group, or User > Roles); leave `role_ids` unset",
    },
    Subject {
        name: "contactpro_user_rights",
        kind: Kind::Resource,
        needs: &[Endpoint::Rights],
        instead: "grant the rights in System Configurator, in the object's Access Rights (best through a role on a user group); remove `contactpro_user_rights` resources",
    },
    Subject {
        name: "contactpro_secret",
        kind: Kind::Resource,
        needs: &[Endpoint::Secrets],
        instead: "create the secret in System Configurator > System Management > Secrets manager; remove `contactpro_secret` resources",
    },
    Subject {
        name: "contactpro_secret.user_credentials",
        kind: Kind::Attribute,
        needs: &[Endpoint::Secrets, Endpoint::Authentication],
        instead: "set the user's password in System Configurator > User > Authentication and the same Username and Password in Secrets manager; leave `user_credentials` unset",
    },
    Subject {
        name: "data.contactpro_user",
        kind: Kind::DataSource,
        needs: &[Endpoint::Users],
        instead: "copy the user's id from System Configurator into the configuration",
    },
    Subject {
        name: "data.contactpro_user_group",
        kind: Kind::DataSource,
        needs: &[Endpoint::UserGroups],
        instead: "copy the user group's id from System Configurator into the configuration",
    },
    Subject {
        name: "data.contactpro_queue",
        kind: Kind::DataSource,
        needs: &[Endpoint::Queues],
        instead: "copy the queue's id from System Configurator into the configuration",
    },
    Subject {
        name: "data.contactpro_queue_group",
        kind: Kind::DataSource,
        needs: &[Endpoint::QueueGroups],
        instead: "copy the queue group's id from System Configurator into the configuration",
    },
    Subject {
        name: "data.contactpro_secret",
        kind: Kind::DataSource,
        needs: &[Endpoint::Secrets],
        instead: "check in System Configurator > System Management > Secrets manager that the secret exists; use its name directly",
    },
];

/// A needed endpoint that did not answer as required.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Blocker {
    pub endpoint: &'static str,
    pub status: Option<u16>,
    pub outcome: Outcome,
    pub why: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Verdict {
    pub subject: &'static str,
    pub kind: Kind,
    pub needs: Vec<&'static str>,
    pub works: bool,
    pub blocked_by: Vec<Blocker>,
    /// What to do instead; only when it cannot work.
    pub instead: Option<String>,
}

/// One verdict per resource, attribute and data source, in a fixed order. An endpoint absent from
/// `observed` counts as not checked.
pub fn verdicts(observed: &BTreeMap<Endpoint, Observed>) -> Vec<Verdict> {
    SUBJECTS
        .iter()
        .map(|subject| {
            let blocked_by: Vec<Blocker> = subject
                .needs
                .iter()
                .filter_map(|endpoint| {
                    let seen = observed.get(endpoint);
                    match seen {
                        Some(o) if o.outcome == Outcome::Offered => None,
                        Some(o) => Some(Blocker {
                            endpoint: endpoint.path(),
                            status: o.status,
                            outcome: o.outcome,
                            why: o.describe(),
                        }),
                        None => Some(Blocker {
                            endpoint: endpoint.path(),
                            status: None,
                            outcome: Outcome::NotChecked,
                            why: "not checked".into(),
                        }),
                    }
                })
                .collect();
            let works = blocked_by.is_empty();
            let instead = (!works).then(|| instead(subject, &blocked_by));
            Verdict {
                subject: subject.name,
                kind: subject.kind,
                needs: subject.needs.iter().map(|e| e.path()).collect(),
                works,
                blocked_by,
                instead,
            }
        })
        .collect()
}

fn instead(subject: &Subject, blocked_by: &[Blocker]) -> String {
    let lacks_right = blocked_by.iter().any(|b| b.outcome == Outcome::Forbidden);
    let only_missing = blocked_by.iter().all(|b| b.outcome == Outcome::Missing);
    if lacks_right {
        format!(
            "give the API user the right the 403 names (System Configurator, through its role), then probe again; or {}",
            subject.instead
        )
    } else if only_missing {
        subject.instead.to_string()
    } else {
        format!(
            "probe again (the answer was unexpected); if it stays so, {}",
            subject.instead
        )
    }
}

/// 0 when everything can work, 1 when something cannot.
pub fn exit_code(verdicts: &[Verdict]) -> i32 {
    if verdicts.iter().all(|v| v.works) {
        0
    } else {
        1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all_offered() -> BTreeMap<Endpoint, Observed> {
        Endpoint::ALL
            .iter()
            .map(|e| (*e, Observed::offered(200)))
            .collect()
    }

    fn missing(status: u16, path: &str) -> Observed {
        Observed {
            status: Some(status),
            outcome: Outcome::Missing,
            message: Some(format!("no such resource: {path}")),
        }
    }

    fn verdict<'a>(verdicts: &'a [Verdict], subject: &str) -> &'a Verdict {
        verdicts
            .iter()
            .find(|v| v.subject == subject)
            .unwrap_or_else(|| panic!("no verdict for {subject}"))
    }

    #[test]
    fn every_endpoint_offered_means_everything_works() {
        let verdicts = verdicts(&all_offered());
        assert_eq!(verdicts.len(), SUBJECTS.len());
        assert!(verdicts
            .iter()
            .all(|v| v.works && v.instead.is_none() && v.blocked_by.is_empty()));
        assert_eq!(exit_code(&verdicts), 0);
    }

    #[test]
    fn the_documented_rci_blocks_secrets_rights_and_authentication_attributes() {
        let mut observed = all_offered();
        for e in [
            Endpoint::Authentication,
            Endpoint::Rights,
            Endpoint::Secrets,
        ] {
            observed.insert(e, missing(404, e.path()));
        }
        let verdicts = verdicts(&observed);
        let failing: Vec<&str> = verdicts
            .iter()
            .filter(|v| !v.works)
            .map(|v| v.subject)
            .collect();
        assert_eq!(
            failing,
            [
                "contactpro_user.password",
                "contactpro_user.service_account",
                "contactpro_user.service_account_expires_at",
                "contactpro_user_rights",
                "contactpro_secret",
                "contactpro_secret.user_credentials",
                "data.contactpro_secret",
            ]
        );
        let password = verdict(&verdicts, "contactpro_user.password");
        assert_eq!(password.blocked_by[0].endpoint, "users/{id}/authentication");
        assert_eq!(password.blocked_by[0].status, Some(404));
        assert_eq!(
            password.instead.as_deref(),
            Some("set the password in System Configurator > User > Authentication; leave `password` unset")
        );
        let credentials = verdict(&verdicts, "contactpro_secret.user_credentials");
        let endpoints: Vec<_> = credentials.blocked_by.iter().map(|b| b.endpoint).collect();
        assert_eq!(endpoints, ["secrets", "users/{id}/authentication"]);
        assert!(verdict(&verdicts, "contactpro_user").works);
        assert_eq!(exit_code(&verdicts), 1);
    }

    #[test]
    fn a_405_counts_as_not_offered() {
        let mut observed = all_offered();
        observed.insert(Endpoint::RoleMemberships, missing(405, "users/{id}/roles"));
        let verdicts = verdicts(&observed);
        let roles = verdict(&verdicts, "contactpro_user.role_ids");
        assert!(!roles.works);
        assert!(roles.blocked_by[0].why.contains("HTTP 405"));
        assert!(verdict(&verdicts, "contactpro_user.user_group_ids").works);
    }

    #[test]
    fn a_403_says_to_grant_the_right_and_keeps_the_message() {
        let mut observed = all_offered();
        observed.insert(
            Endpoint::Queues,
            Observed {
                status: Some(403),
                outcome: Outcome::Forbidden,
                message: Some("missing right Queue: View for GET queues".into()),
            },
        );
        let verdicts = verdicts(&observed);
        let queue = verdict(&verdicts, "data.contactpro_queue");
        assert!(!queue.works);
        assert!(queue.blocked_by[0].why.contains("Queue: View"));
        assert!(queue
            .instead
            .as_deref()
            .unwrap()
            .starts_with("give the API user the right"));
    }

    #[test]
    fn unknown_or_unchecked_endpoints_do_not_count_as_working() {
        let mut observed = all_offered();
        observed.remove(&Endpoint::UserById);
        observed.insert(
            Endpoint::QueueGroups,
            Observed {
                status: Some(500),
                outcome: Outcome::Failed,
                message: None,
            },
        );
        let verdicts = verdicts(&observed);
        let user = verdict(&verdicts, "contactpro_user");
        assert!(!user.works);
        assert_eq!(user.blocked_by[0].outcome, Outcome::NotChecked);
        let group = verdict(&verdicts, "data.contactpro_queue_group");
        assert!(group.instead.as_deref().unwrap().starts_with("probe again"));
        assert_eq!(exit_code(&verdicts), 1);
    }
}
