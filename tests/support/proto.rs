//! Generated client and messages of our `proto/tfplugin6.proto` (see build.rs).
#![allow(clippy::all, clippy::pedantic)]
tonic::include_proto!("tfplugin6");
