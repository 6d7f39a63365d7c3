use app::{
    domain::accounts::{UserId, FIRST_RETRY_DELAY_MS},
    server::repo::{NewUser, RepoError, SessionRecord, SignInGate},
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
    async fn of_concurrent_attempts_on_a_gate_exactly_one_takes_it(fresh: database) {
        let (database, _guard) = fresh;
        let ana = user(&database, "ana@example.org").await;
        database.remember_device(ana, "device", 1).await.unwrap();
        let device = database.find_known_device("device").await.unwrap().expect("remembered").id;
        for gate in [SignInGate::Account(ana), SignInGate::Device(device)] {
            // Each take runs on its own pooled connection, as on separate servers.
            let takes: Vec<_> = (0..20).map(|_| {
                let database = database.clone();
                tokio::spawn(async move { database.take_sign_in_gate(gate, 1_000, 61_000).await.unwrap() })
            }).collect();
            let mut taken = 0;
            for take in takes {
                taken += usize::from(take.await.unwrap());
            }
            assert_eq!(taken, 1, "{gate:?}");
            // Held until the check ends or the hold lapses.
            assert!(!database.take_sign_in_gate(gate, 2_000, 62_000).await.unwrap());
            assert!(database.take_sign_in_gate(gate, 61_000, 121_000).await.unwrap(), "a lapsed hold");
            database.release_sign_in_gate(gate, 121_000, 61_500).await.unwrap();
            assert_eq!(database.sign_in_gate_state(gate).await.unwrap(), Some((0, 61_500)));
        }
    }

    async fn failures_close_a_gate_for_the_retry_delay_and_a_success_opens_it(fresh: database) {
        let (database, _guard) = fresh;
        let ana = user(&database, "ana@example.org").await;
        let gate = SignInGate::Account(ana);
        let mut now = 1_000;
        for failure in 1..=5 {
            assert!(database.take_sign_in_gate(gate, now, now + 60_000).await.unwrap());
            assert_eq!(database.record_sign_in_result(gate, false, now).await.unwrap(), failure);
            now += 1;
        }
        // The fifth failure closed the gate for the first delay.
        let closed_until = now - 1 + FIRST_RETRY_DELAY_MS;
        assert_eq!(database.sign_in_gate_state(gate).await.unwrap(), Some((5, closed_until)));
        // Sign-in reads it with the credentials.
        assert_eq!(database.find_credentials("ana@example.org").await.unwrap().unwrap().gate_opens_at, closed_until);
        assert!(!database.take_sign_in_gate(gate, closed_until - 1, closed_until + 60_000).await.unwrap());
        assert!(database.take_sign_in_gate(gate, closed_until, closed_until + 60_000).await.unwrap());
        assert_eq!(database.record_sign_in_result(gate, true, closed_until).await.unwrap(), 0);
        assert_eq!(database.sign_in_gate_state(gate).await.unwrap(), Some((0, closed_until)));
        // A password change or reset forgets every gate of the account.
        database.record_sign_in_result(gate, false, now).await.unwrap();
        database.clear_sign_in_gates(ana).await.unwrap();
        assert_eq!(database.sign_in_gate_state(gate).await.unwrap(), None);
    }

    async fn devices_unused_for_long_are_forgotten(fresh: database) {
        let (database, _guard) = fresh;
        let ana = user(&database, "ana@example.org").await;
        database.remember_device(ana, "old", 1_000).await.unwrap();
        database.remember_device(ana, "used", 1_000).await.unwrap();
        let used = database.find_known_device("used").await.unwrap().unwrap();
        assert_eq!((used.user_id, used.gate_opens_at), (ana, 0));
        database.touch_known_device(used.id, 5_000).await.unwrap();
        assert_eq!(database.forget_unused_devices(2_000).await.unwrap(), 1);
        assert_eq!(database.find_known_device("old").await.unwrap(), None);
        assert_eq!(database.find_known_device("used").await.unwrap(), Some(used));
    }

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
        database.touch_session(database.find_session("old").await.unwrap().unwrap().session_id, 9_500, 9_500).await.unwrap();

        let deleted = database.delete_expired_sessions(6_000, 2_000).await.unwrap();
        assert_eq!(deleted, 2);
        assert!(database.find_session("old").await.unwrap().is_none(), "too old, though recently used");
        assert!(database.find_session("idle").await.unwrap().is_none(), "idle too long");
        assert!(database.find_session("live").await.unwrap().is_some());
    }

    async fn of_requests_reading_the_same_last_seen_time_one_writes_it(fresh: database) {
        let (database, _guard) = fresh;
        let ana = user(&database, "ana@example.org").await;
        session(&database, ana, "tok", 1_000).await;
        let id = database.find_session("tok").await.unwrap().unwrap().session_id;

        // Both read 1,000 and, a minute later, would write.
        assert!(database.touch_session(id, 61_000, 1_000).await.unwrap());
        assert!(!database.touch_session(id, 61_001, 1_000).await.unwrap(), "already written");
        assert_eq!(database.find_session("tok").await.unwrap().unwrap().last_seen_at, 61_000);
        // Later, when the time stored is old enough again, it is written.
        assert!(database.touch_session(id, 121_000, 61_000).await.unwrap());
        assert_eq!(database.find_session("tok").await.unwrap().unwrap().last_seen_at, 121_000);
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
