//! Embeds the TeX bundle built by `scripts/build-tex-bundle` when it exists.
//!
//! Without it the crate still builds (so a fresh clone builds and the other
//! crates' tests run), and `ast2latex --pdf` then asks for `--tex-bundle`.
//! (The bundle is traced from what the ast2latex writer emits: see
//! scripts/build-tex-bundle.)

use std::path::PathBuf;

fn main() {
    println!("cargo::rustc-check-cfg=cfg(ast2latex_embedded_bundle)");
    println!("cargo::rerun-if-env-changed=AST2LATEX_BUNDLE_ZIP");
    let manifest = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let zip = match std::env::var_os("AST2LATEX_BUNDLE_ZIP") {
        Some(p) if !p.is_empty() => PathBuf::from(p),
        _ => manifest.join("../target/tex-bundle/ast2latex-bundle.zip"),
    };
    println!("cargo::rerun-if-changed={}", zip.display());
    if zip.is_file() {
        let zip = zip.canonicalize().unwrap_or(zip);
        println!("cargo::rustc-cfg=ast2latex_embedded_bundle");
        println!(
            "cargo::rustc-env=AST2LATEX_EMBEDDED_BUNDLE={}",
            zip.display()
        );
    } else {
        println!(
            "cargo::warning=no TeX bundle at {}: ast2latex --pdf will need --tex-bundle, and its PDF tests fail; run `make setup` first (it builds the bundle), then build again to embed it",
            zip.display()
        );
    }
}
