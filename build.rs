// The plugin protocol (proto/): the provider serves it, the tests' Terraform stand-in calls it.
fn main() -> Result<(), Box<dyn std::error::Error>> {
    for proto in ["tfplugin6", "plugin", "health"] {
        println!("cargo:rerun-if-changed=proto/{proto}.proto");
    }
    tonic_build::configure()
        .build_server(true)
        .build_client(true)
        .compile_protos(
            &[
                "proto/tfplugin6.proto",
                "proto/plugin.proto",
                "proto/health.proto",
            ],
            &["proto"],
        )?;
    Ok(())
}
