use crate::on_both_backends;

on_both_backends! {
    async fn migrations_create_the_schema_and_can_run_again(fresh: database) {
        let (database, _guard) = fresh;
        database.migrate().await.expect("a second migration run is a no-op");
        database.ping().await.unwrap();
    }
}
