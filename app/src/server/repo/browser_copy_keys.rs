//! The keys that seal the editor's copies kept in the browser (see
//! `crate::domain::browser_copy`): stored sealed, handed only to their
//! account, deleted once their copy reached the server or after
//! [`KEY_LIFETIME_MS`].

use super::{
    database::{on_pool, Database, RepoError},
    sealed_columns::BROWSER_COPY_KEY,
};
use crate::{
    domain::{
        accounts::UserId,
        browser_copy::{BrowserCopyKey, KEY_LEN, KEY_LIFETIME_MS},
    },
    server::crypto::FieldCipher,
};

impl Database {
    /// Stores a new key of `bytes` for `account` and returns it; the
    /// account's expired keys are deleted in the same transaction.
    pub async fn create_browser_copy_key(
        &self,
        cipher: &FieldCipher,
        account: UserId,
        bytes: &[u8; KEY_LEN],
        now: i64,
    ) -> Result<BrowserCopyKey, RepoError> {
        on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            sqlx::query("DELETE FROM browser_copy_keys WHERE account_id = $1 AND created_at <= $2")
                .bind(account.0)
                .bind(now - KEY_LIFETIME_MS)
                .execute(&mut *tx)
                .await?;
            let (id,): (i64,) = sqlx::query_as(
                "INSERT INTO browser_copy_keys (account_id, key_sealed, created_at) \
                 VALUES ($1, '', $2) RETURNING id",
            )
            .bind(account.0)
            .bind(now)
            .fetch_one(&mut *tx)
            .await?;
            let key = BrowserCopyKey::new(id, bytes);
            sqlx::query("UPDATE browser_copy_keys SET key_sealed = $2 WHERE id = $1")
                .bind(id)
                .bind(cipher.seal(BROWSER_COPY_KEY.at(id, account.0), &key.key))
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            Ok(key)
        })
    }

    /// Key `id` if it is `account`'s and has not expired.
    pub async fn browser_copy_key(
        &self,
        cipher: &FieldCipher,
        account: UserId,
        id: i64,
        now: i64,
    ) -> Result<Option<BrowserCopyKey>, RepoError> {
        let row: Option<(String,)> = on_pool!(self, |pool| sqlx::query_as(
            "SELECT key_sealed FROM browser_copy_keys \
             WHERE id = $1 AND account_id = $2 AND created_at > $3"
        )
        .bind(id)
        .bind(account.0)
        .bind(now - KEY_LIFETIME_MS)
        .fetch_optional(pool)
        .await)?;
        Ok(match row {
            Some((sealed,)) => Some(BrowserCopyKey {
                id,
                key: cipher.open(BROWSER_COPY_KEY.at(id, account.0), &sealed)?,
            }),
            None => None,
        })
    }

    /// Deletes `account`'s key `id` (nothing if it is not theirs).
    pub async fn forget_browser_copy_key(&self, account: UserId, id: i64) -> Result<(), RepoError> {
        on_pool!(self, |pool| sqlx::query(
            "DELETE FROM browser_copy_keys WHERE id = $1 AND account_id = $2"
        )
        .bind(id)
        .bind(account.0)
        .execute(pool)
        .await
        .map(|_| ()))?;
        Ok(())
    }
}
