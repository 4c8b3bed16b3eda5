//! go-plugin's services beside the provider: the controller (Shutdown), stdio and broker, and
//! gRPC health.

use std::pin::Pin;

use tokio::sync::watch;
use tokio_stream::{Stream, StreamExt};
use tonic::{Request, Response, Status, Streaming};

use super::proto::health::{self, health_check_response::ServingStatus};
use super::proto::plugin;

type Pending<T> = Pin<Box<dyn Stream<Item = Result<T, Status>> + Send>>;

/// A stream that stays open and sends nothing: we log to stderr, and broker no connections.
fn silent<T: Send + 'static>() -> Pending<T> {
    Box::pin(tokio_stream::pending())
}

pub struct Controller {
    shutdown: watch::Sender<bool>,
}

pub fn controller(
    shutdown: watch::Sender<bool>,
) -> plugin::grpc_controller_server::GrpcControllerServer<Controller> {
    plugin::grpc_controller_server::GrpcControllerServer::new(Controller { shutdown })
}

#[tonic::async_trait]
impl plugin::grpc_controller_server::GrpcController for Controller {
    /// Terraform is done with us: stop serving once this answer is out, then exit.
    async fn shutdown(&self, _: Request<plugin::Empty>) -> Result<Response<plugin::Empty>, Status> {
        tracing::info!("Shutdown from the plugin client");
        self.shutdown.send_replace(true);
        Ok(Response::new(plugin::Empty {}))
    }
}

pub struct Stdio;

pub fn stdio() -> plugin::grpc_stdio_server::GrpcStdioServer<Stdio> {
    plugin::grpc_stdio_server::GrpcStdioServer::new(Stdio)
}

#[tonic::async_trait]
impl plugin::grpc_stdio_server::GrpcStdio for Stdio {
    type StreamStdioStream = Pending<plugin::StdioData>;

    async fn stream_stdio(
        &self,
        _: Request<()>,
    ) -> Result<Response<Self::StreamStdioStream>, Status> {
        Ok(Response::new(silent()))
    }
}

pub struct Broker;

pub fn broker() -> plugin::grpc_broker_server::GrpcBrokerServer<Broker> {
    plugin::grpc_broker_server::GrpcBrokerServer::new(Broker)
}

#[tonic::async_trait]
impl plugin::grpc_broker_server::GrpcBroker for Broker {
    type StartStreamStream = Pending<plugin::ConnInfo>;

    async fn start_stream(
        &self,
        _: Request<Streaming<plugin::ConnInfo>>,
    ) -> Result<Response<Self::StartStreamStream>, Status> {
        Ok(Response::new(silent()))
    }
}

pub struct Health;

pub fn health() -> health::health_server::HealthServer<Health> {
    health::health_server::HealthServer::new(Health)
}

fn status(service: &str) -> health::HealthCheckResponse {
    // go-plugin asks about "plugin"; "" is the server as a whole.
    let status = if service.is_empty() || service == "plugin" {
        ServingStatus::Serving
    } else {
        ServingStatus::ServiceUnknown
    };
    health::HealthCheckResponse {
        status: status as i32,
    }
}

#[tonic::async_trait]
impl health::health_server::Health for Health {
    type WatchStream = Pending<health::HealthCheckResponse>;

    async fn check(
        &self,
        request: Request<health::HealthCheckRequest>,
    ) -> Result<Response<health::HealthCheckResponse>, Status> {
        Ok(Response::new(status(&request.into_inner().service)))
    }

    async fn watch(
        &self,
        request: Request<health::HealthCheckRequest>,
    ) -> Result<Response<Self::WatchStream>, Status> {
        let first = status(&request.into_inner().service);
        let stream = tokio_stream::once(Ok(first)).chain(tokio_stream::pending());
        Ok(Response::new(Box::pin(stream)))
    }
}
