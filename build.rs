// The gRPC client of the plugin protocol is only for the tests' Terraform stand-in.
fn main() -> Result<(), Box<dyn std::error::Error>> {
    println!("cargo:rerun-if-changed=proto/tfplugin6.proto");
    tonic_build::configure()
        .build_server(false)
        .compile_protos(&["proto/tfplugin6.proto"], &["proto"])?;
    Ok(())
}
