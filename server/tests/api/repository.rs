use app::{
    domain::accounts::UserId,
    server::repo::{NewUser, RepoError, SessionRecord},
};

use crate::on_both_backends;

async fn user(database: &app::server::repo::Database, email: &str) -> UserId {
    database
        .create_user(&NewUser {
            email,
            display_name: "Test",
            password_hash: "x",
            is_admin: false,
            created_at: 1,
        })
        .await
        .unwrap()
        .id
}

async fn session(
    database: &app::server::repo::Database,
    user_id: UserId,
    token_hash: &str,
    created_at: i64,
) {
    database
        .create_session(&SessionRecord {
            token_hash,
            user_id,
            created_at,
            user_agent: "test",
            client_ip: "127.0.0.1",
        })
        .await
        .unwrap();
}

on_both_backends! {
    async fn migrations_create_the_schema_and_can_run_again(fresh: database) {
        let (database, _guard) = fresh;
        database.migrate().await.expect("a second migration run is a no-op");
        database.ping().await.unwrap();
    }

    async fn email_addresses_are_unique(fresh: database) {
        let (database, _guard) = fresh;
        user(&database, "ana@example.org").await;
        let again = database
            .create_user(&NewUser { email: "ana@example.org", display_name: "Other", password_hash: "y", is_admin: false, created_at: 2 })
            .await;
        assert!(matches!(again, Err(RepoError::Duplicate)), "{again:?}");
    }

    async fn the_sweep_removes_idle_and_old_sessions_only(fresh: database) {
        let (database, _guard) = fresh;
        let ana = user(&database, "ana@example.org").await;
        session(&database, ana, "old", 1_000).await;
        session(&database, ana, "idle", 5_000).await;
        session(&database, ana, "live", 9_000).await;
        database.touch_session(database.find_session("old").await.unwrap().unwrap().session_id, 9_500).await.unwrap();

        let deleted = database.delete_expired_sessions(6_000, 2_000).await.unwrap();
        assert_eq!(deleted, 2);
        assert!(database.find_session("old").await.unwrap().is_none(), "too old, though recently used");
        assert!(database.find_session("idle").await.unwrap().is_none(), "idle too long");
        assert!(database.find_session("live").await.unwrap().is_some());
    }

    async fn deleting_an_account_cascades_to_its_sessions(fresh: database) {
        let (database, _guard) = fresh;
        let ana = user(&database, "ana@example.org").await;
        session(&database, ana, "s1", 1).await;
        assert!(database.set_user_disabled(ana, Some(5)).await.unwrap());
        assert!(database.find_session("s1").await.unwrap().is_none(), "disabling ends sessions");
        assert!(!database.set_user_disabled(UserId(999_999), Some(5)).await.unwrap());
    }
}
