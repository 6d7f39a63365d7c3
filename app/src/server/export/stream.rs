//! Writing an export as it is read: the body goes out in chunks through a
//! bounded channel, so a slow download holds the reading back instead of
//! the server holding the whole export in memory.

use std::{
    io::Write,
    sync::{Arc, Mutex},
};

use serde::Serialize;
use tokio::sync::mpsc;
use zip::{
    write::{SimpleFileOptions, StreamWriter},
    CompressionMethod, ZipWriter,
};

use crate::{error::AppError, server::repo::RepoError};

/// How many chunks may wait for the client before reading pauses.
const CHUNKS_WAITING: usize = 4;
/// A chunk is sent once this much is written (and at each case's end).
const CHUNK_BYTES: usize = 64 * 1024;

/// Why an export stopped before its end.
#[derive(Debug)]
pub enum ExportStop {
    /// The client went away: nothing more to do.
    Gone,
    /// Reading or writing failed (logged where it was converted).
    Failed(AppError),
}

impl From<AppError> for ExportStop {
    fn from(error: AppError) -> Self {
        ExportStop::Failed(error)
    }
}

impl From<RepoError> for ExportStop {
    fn from(error: RepoError) -> Self {
        ExportStop::Failed(error.into())
    }
}

fn internal(what: &str, error: impl std::fmt::Display) -> ExportStop {
    tracing::error!(%error, "export: {what} failed");
    ExportStop::Failed(AppError::Internal)
}

/// One piece of a response body, or the error that cuts it short (so the
/// client sees a broken download, never a complete-looking partial one).
pub type Chunk = Result<Vec<u8>, std::io::Error>;

/// The sending end of a download's body.
pub struct Chunks {
    sender: mpsc::Sender<Chunk>,
}

impl Chunks {
    /// A body's two ends: write to the first, serve the second.
    pub fn channel() -> (Chunks, mpsc::Receiver<Chunk>) {
        let (sender, receiver) = mpsc::channel(CHUNKS_WAITING);
        (Chunks { sender }, receiver)
    }

    async fn send(&self, bytes: Vec<u8>) -> Result<(), ExportStop> {
        if bytes.is_empty() {
            return Ok(());
        }
        self.sender
            .send(Ok(bytes))
            .await
            .map_err(|_| ExportStop::Gone)
    }

    /// Cuts the body short: the download fails instead of ending early.
    pub async fn fail(&self) {
        // If the client is gone there is nobody to tell.
        let _ = self
            .sender
            .send(Err(std::io::Error::other(
                "the export could not be completed",
            )))
            .await;
    }
}

/// A JSON object written field by field, its lists item by item.
pub struct JsonDocument<'a> {
    out: &'a Chunks,
    buffer: Vec<u8>,
    first_field: bool,
    first_item: bool,
}

impl<'a> JsonDocument<'a> {
    pub fn new(out: &'a Chunks) -> Self {
        JsonDocument {
            out,
            buffer: b"{".to_vec(),
            first_field: true,
            first_item: true,
        }
    }

    fn name(&mut self, name: &str) -> Result<(), ExportStop> {
        if !self.first_field {
            self.buffer.push(b',');
        }
        self.first_field = false;
        serde_json::to_writer(&mut self.buffer, name).map_err(|error| internal("JSON", error))?;
        self.buffer.push(b':');
        Ok(())
    }

    pub fn field(&mut self, name: &str, value: &impl Serialize) -> Result<(), ExportStop> {
        self.name(name)?;
        serde_json::to_writer(&mut self.buffer, value).map_err(|error| internal("JSON", error))
    }

    /// Starts the list `name`; [`item`](Self::item) adds to it.
    pub fn open_list(&mut self, name: &str) -> Result<(), ExportStop> {
        self.name(name)?;
        self.buffer.push(b'[');
        self.first_item = true;
        Ok(())
    }

    pub async fn item(&mut self, value: &impl Serialize) -> Result<(), ExportStop> {
        if !self.first_item {
            self.buffer.push(b',');
        }
        self.first_item = false;
        serde_json::to_writer(&mut self.buffer, value).map_err(|error| internal("JSON", error))?;
        if self.buffer.len() >= CHUNK_BYTES {
            self.out.send(std::mem::take(&mut self.buffer)).await?;
        }
        Ok(())
    }

    pub fn close_list(&mut self) {
        self.buffer.push(b']');
    }

    pub async fn finish(mut self) -> Result<(), ExportStop> {
        self.buffer.push(b'}');
        self.out.send(self.buffer).await
    }
}

/// What the zip writes into; its bytes are taken out and sent as chunks.
#[derive(Clone, Default)]
struct SharedBuffer(Arc<Mutex<Vec<u8>>>);

impl SharedBuffer {
    fn take(&self) -> Vec<u8> {
        std::mem::take(
            &mut *self
                .0
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner()),
        )
    }

    fn len(&self) -> usize {
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .len()
    }
}

impl Write for SharedBuffer {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// A zip of CSV files written one file after the other, each line by
/// line. Entries are stored (not compressed) and sized by data
/// descriptors, as a zip written without going back must be.
pub struct ZipDocument<'a> {
    out: &'a Chunks,
    buffer: SharedBuffer,
    zip: ZipWriter<StreamWriter<SharedBuffer>>,
}

impl<'a> ZipDocument<'a> {
    pub fn new(out: &'a Chunks) -> Self {
        let buffer = SharedBuffer::default();
        ZipDocument {
            out,
            zip: ZipWriter::new_stream(buffer.clone()),
            buffer,
        }
    }

    /// Starts the file `name` with its header line.
    pub async fn start_file(&mut self, name: &str, header: &str) -> Result<(), ExportStop> {
        let options = SimpleFileOptions::default().compression_method(CompressionMethod::Stored);
        self.zip
            .start_file(name, options)
            .map_err(|error| internal("zip", error))?;
        self.line(header).await
    }

    pub async fn line(&mut self, line: &str) -> Result<(), ExportStop> {
        self.zip
            .write_all(line.as_bytes())
            .map_err(|error| internal("zip", error))?;
        if self.buffer.len() >= CHUNK_BYTES {
            self.out.send(self.buffer.take()).await?;
        }
        Ok(())
    }

    pub async fn finish(self) -> Result<(), ExportStop> {
        self.zip.finish().map_err(|error| internal("zip", error))?;
        self.out.send(self.buffer.take()).await
    }
}
