//! A WordPress export, imported whole into a scratch SQLite store: no panic, no hang, and a
//! refusal is an error, whatever the file.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;

struct Scratch {
    runtime: tokio::runtime::Runtime,
    store: duizhao::store::Store,
    converters: duizhao::content::Converters,
    dir: tempfile::TempDir,
}

fn scratch() -> &'static Scratch {
    static SCRATCH: OnceLock<Scratch> = OnceLock::new();
    SCRATCH.get_or_init(|| {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("fuzz.db").display());
        let store = runtime.block_on(duizhao::store::Store::open(&url)).unwrap();
        let converters = duizhao::content::Converters::new(&Default::default(), Default::default());
        Scratch {
            runtime,
            store,
            converters,
            dir,
        }
    })
}

fuzz_target!(|data: &[u8]| {
    let s = scratch();
    let file = s.dir.path().join("export.xml");
    std::fs::write(&file, data).unwrap();
    let _ = s.runtime.block_on(duizhao::import::import_wordpress(
        &s.store,
        &s.converters,
        &s.dir.path().join("media"),
        &file,
        jiff::Timestamp::now(),
        indicatif::ProgressBar::hidden(),
    ));
});
