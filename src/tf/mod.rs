//! Helpers shared by the provider, resources and data sources: the Terraform side only.

pub mod client_handle;
pub mod diag;
pub mod ownership;
pub mod schema;
pub mod sensitive;
pub mod tenant_support;
pub mod values;
