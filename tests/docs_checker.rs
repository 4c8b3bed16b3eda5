//! Unit-level tests of the docs checker on a small hand-made schema: it must reject a page with an
//! attribute removed, an extra attribute, an attribute in the wrong section, or stale text.

#[allow(dead_code)]
#[path = "../tools/contactpro-docs/src/model.rs"]
mod model;
#[allow(dead_code)]
#[path = "../tools/contactpro-docs/src/pages.rs"]
mod pages;
#[allow(dead_code)]
#[path = "../tools/contactpro-docs/src/render.rs"]
mod render;

use serde_json::json;

fn block() -> model::DocBlock {
    let json = json!({"provider_schemas": {pages::PROVIDER_ADDRESS: {
        "provider": {"block": {}},
        "resource_schemas": {"contactpro_thing": {"block": {
            "attributes": {
                "id": {"type": "string", "description": "Id.", "computed": true},
                "name": {"type": "string", "description": "Name.", "required": true},
                "token": {"type": "string", "description": "Token.", "optional": true, "sensitive": true},
                "tags": {"type": ["set", "string"], "description": "Tags.", "optional": true, "computed": true}
            },
            "block_types": {"part": {"nesting_mode": "list", "max_items": 1, "block": {
                "description": "A part.",
                "attributes": {"size": {"type": "number", "description": "Size.", "required": true}}
            }}}
        }}}
    }}});
    model::from_terraform_json(&json, pages::PROVIDER_ADDRESS)
        .unwrap()
        .resources
        .remove("contactpro_thing")
        .unwrap()
}

fn page() -> String {
    format!(
        "# contactpro_thing\n\n<!-- schema:begin -->\n{}<!-- schema:end -->\n",
        render::render_schema(&block())
    )
}

#[test]
fn a_generated_page_passes_and_lists_everything() {
    let page = page();
    assert!(pages::check_page("p", &page, &block()).is_empty());
    for line in [
        "- `name` (String) Name.",
        "- `token` (String, Sensitive) Token.",
        "- `tags` (Set of String) Tags.",
        "- `part` (Block List, Max: 1) A part.",
        "- `size` (Number) Size.",
        "### Nested Schema for `part`",
    ] {
        assert!(page.contains(line), "missing {line:?} in\n{page}");
    }
}

#[test]
fn a_removed_attribute_fails() {
    let page = page().replace("- `token` (String, Sensitive) Token.\n", "");
    let problems = pages::check_page("p", &page, &block());
    assert_eq!(
        problems,
        vec!["p: `token` is in the schema but missing from the page"]
    );
}

#[test]
fn a_removed_nested_attribute_fails() {
    let page = page().replace("- `size` (Number) Size.\n", "");
    let problems = pages::check_page("p", &page, &block());
    assert_eq!(
        problems,
        vec!["p: `part.size` is in the schema but missing from the page"]
    );
}

#[test]
fn an_extra_attribute_fails() {
    let page = page().replace(
        "- `name` (String) Name.\n",
        "- `name` (String) Name.\n- `colour` (String) Not real.\n",
    );
    let problems = pages::check_page("p", &page, &block());
    assert_eq!(
        problems,
        vec!["p: `colour` is documented but the schema has no such attribute"]
    );
}

#[test]
fn a_wrong_section_or_type_fails() {
    // `token` moved from Optional to Required, and its Sensitive flag dropped.
    let page = page()
        .replace("- `token` (String, Sensitive) Token.\n", "")
        .replace(
            "- `name` (String) Name.\n",
            "- `name` (String) Name.\n- `token` (String) Token.\n",
        );
    let problems = pages::check_page("p", &page, &block());
    assert_eq!(
        problems,
        vec!["p: `token` is documented as Required (String) but the schema says Optional (String, Sensitive)"]
    );
}

#[test]
fn a_page_without_markers_fails() {
    let problems = pages::check_page("p", "# nothing here\n", &block());
    assert_eq!(problems, vec!["p: no <!-- schema:begin --> marker"]);
}

#[test]
fn stale_text_and_missing_pages_fail_the_whole_check() {
    let root = tempfile::tempdir().unwrap();
    let mut schema = model::DocSchema::default();
    schema.resources.insert("contactpro_thing".into(), block());
    let docs = root.path().join("docs/resources");
    std::fs::create_dir_all(&docs).unwrap();
    // A description changed in the schema but not on the page.
    std::fs::write(docs.join("thing.md"), page().replace("Name.", "Old name.")).unwrap();
    std::fs::write(docs.join("gone.md"), "old page").unwrap();
    let problems = pages::check(root.path(), &schema);
    assert!(
        problems
            .iter()
            .any(|p| p == "docs/index.md: page missing for contactpro"),
        "{problems:?}"
    );
    assert!(
        problems
            .iter()
            .any(|p| p.starts_with("docs/resources/thing.md: generated text is out of date")),
        "{problems:?}"
    );
    assert!(
        problems
            .iter()
            .any(|p| p == "docs/resources/gone.md: documents a type the provider does not have"),
        "{problems:?}"
    );

    // generate repairs what it can (the stray page stays an error for a human to delete).
    std::fs::create_dir_all(root.path().join("examples/provider")).unwrap();
    std::fs::write(
        root.path().join("examples/provider/provider.tf"),
        "provider \"contactpro\" {}\n",
    )
    .unwrap();
    std::fs::create_dir_all(root.path().join("examples/resources/contactpro_thing")).unwrap();
    std::fs::write(
        root.path()
            .join("examples/resources/contactpro_thing/resource.tf"),
        "# x\n",
    )
    .unwrap();
    pages::generate(root.path(), &schema).unwrap();
    let problems = pages::check(root.path(), &schema);
    assert_eq!(
        problems,
        vec!["docs/resources/gone.md: documents a type the provider does not have"]
    );
}

/// Ephemeral resources get pages like resources: generated from a skeleton with their example, checked,
/// and a page of a type the provider lacks is stray, but only when the schema reports ephemeral
/// resources at all (Terraform before 1.10 does not).
#[test]
fn ephemeral_resource_pages_are_generated_and_checked() {
    let root = tempfile::tempdir().unwrap();
    let write = |rel: &str, text: &str| {
        let path = root.path().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    write(
        "examples/provider/provider.tf",
        "provider \"contactpro\" {}\n",
    );
    write(
        "examples/ephemeral-resources/contactpro_thing/ephemeral-resource.tf",
        "ephemeral \"contactpro_thing\" \"x\" {}\n",
    );
    write("docs/ephemeral-resources/gone.md", "old page");
    let mut schema = model::DocSchema {
        ephemeral_resources: Some([("contactpro_thing".to_string(), block())].into()),
        ..Default::default()
    };
    pages::generate(root.path(), &schema).unwrap();
    let page =
        std::fs::read_to_string(root.path().join("docs/ephemeral-resources/thing.md")).unwrap();
    for line in [
        "# contactpro_thing (Ephemeral Resource)",
        "page_title: \"contactpro_thing Ephemeral Resource - terraform-provider-contactpro\"",
        "ephemeral \"contactpro_thing\" \"x\" {}",
        "- `token` (String, Sensitive) Token.",
    ] {
        assert!(page.contains(line), "missing {line:?} in\n{page}");
    }
    assert_eq!(
        pages::check(root.path(), &schema),
        vec!["docs/ephemeral-resources/gone.md: documents a type the provider does not have"]
    );

    // An attribute gone from the schema is caught on the ephemeral page too.
    let mut fewer = block();
    fewer.attributes.remove("token");
    schema.ephemeral_resources = Some([("contactpro_thing".to_string(), fewer)].into());
    assert!(pages::check(root.path(), &schema).contains(
        &"docs/ephemeral-resources/thing.md: `token` is documented but the schema has no such attribute"
            .to_string()
    ));

    // A schema from Terraform 1.0.3 says nothing about ephemeral resources: their pages are left alone.
    schema.ephemeral_resources = None;
    assert!(pages::check(root.path(), &schema).is_empty());
}
