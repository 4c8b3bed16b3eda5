//! TfWorkdir against HashiCorp's null provider (installed by `make setup`): proves
//! offline init from the temp mirror, apply, plan exit codes, outputs and destroy
//! on every Terraform we test with, independent of our own provider.
mod support;

use serde_json::json;
use support::bins::provider_binary;
use support::terraform::repo_root;
use support::{Terraform, TfWorkdir};

const MAIN_TF: &str = r#"
terraform {
  required_providers {
    null = { source = "hashicorp/null", version = "2.1.2" }
  }
}
variable "n" { default = "1" }
resource "null_resource" "a" {
  triggers = { n = var.n }
}
output "trigger" { value = null_resource.a.triggers.n }
"#;

#[test]
fn workdir_runs_terraform_offline_with_a_mirrored_provider() {
    let null = repo_root().join(".tools/null-provider/terraform-provider-null_v2.1.2_x4");
    assert!(
        null.is_file(),
        "{} missing: run `make setup`",
        null.display()
    );
    for tf in Terraform::all() {
        let mut wd = TfWorkdir::new(&tf, &provider_binary());
        wd.add_mirror_provider("registry.terraform.io/hashicorp/null", "2.1.2", &null);
        wd.write_main_tf(MAIN_TF);
        wd.init();
        assert_eq!(
            wd.plan_detailed_exitcode(),
            2,
            "v{}: fresh plan",
            tf.version
        );
        wd.apply();
        assert_eq!(wd.plan_detailed_exitcode(), 0, "v{}: re-plan", tf.version);
        assert_eq!(wd.output_json()["trigger"]["value"], json!("1"));
        assert!(wd.state_show("null_resource.a").contains("triggers"));
        let state = wd.state_json();
        let resources = &state["values"]["root_module"]["resources"];
        assert_eq!(resources.as_array().map(Vec::len), Some(1), "{state}");
        wd.env("TF_VAR_n", "2");
        assert_eq!(
            wd.plan_detailed_exitcode(),
            2,
            "v{}: changed var",
            tf.version
        );
        wd.destroy();
    }
}

#[test]
fn failed_terraform_command_reports_its_output() {
    let tf = Terraform::v1_0_3();
    let wd = TfWorkdir::new(&tf, &provider_binary());
    wd.write_main_tf("this is not HCL {");
    let result = std::panic::catch_unwind(|| wd.init());
    let message = *result
        .expect_err("init of broken HCL must fail")
        .downcast::<String>()
        .unwrap();
    assert!(message.contains("terraform init"), "{message}");
    assert!(message.contains("--- stderr ---"), "{message}");
}
