//! Resources: one file each.
