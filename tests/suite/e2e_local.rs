//! End to end on the local backend: the MCP tools drive the embedded engine over loopback
//! HTTP through the real API client — build an agent for the demo shop from a prompt, run it,
//! follow it, and page through every record.

use sequentum_mcp::{cli::demo, config::EngineArgs, local::demo::catalogue};

#[tokio::test(flavor = "multi_thread")]
async fn build_run_status_and_every_record_on_the_embedded_engine() {
    let data = tempfile::tempdir().unwrap();
    let engine = EngineArgs {
        data_dir: Some(data.path().to_path_buf()),
        workers: 2,
        ignore_robots: false,
        fetch_delay_ms: 0,
        site_concurrency: 4,
        fetch_retries: 2,
        allow_private_targets: false,
        remote_callers: false,
    };
    let outcome = demo::flow(engine).await.expect("the demo flow succeeds");

    assert_eq!(outcome.run["status"], "Completed");
    assert_eq!(outcome.run["terminal"], true);
    assert_eq!(outcome.run["pages"], catalogue::page_count() as i64);
    assert_eq!(
        outcome.run["records_extracted"],
        catalogue::PRODUCT_COUNT as i64
    );

    let expected = catalogue::catalogue();
    assert_eq!(
        outcome.records.len(),
        expected.len(),
        "every product exactly once"
    );
    for (record, product) in outcome.records.iter().zip(&expected) {
        assert_eq!(record["name"], product.name.as_str());
        assert_eq!(record["price"], product.price.as_str());
        assert_eq!(record["sku"], product.sku.as_str());
    }
    // The engine's data survives in the data directory given to it.
    assert!(data.path().read_dir().unwrap().next().is_some());
}
