//! The write-ahead log: append-only segment files of frames
//! `[length: u32 LE][CRC32C of payload: u32 LE][payload]`.
//!
//! Appends go through one committer thread that takes every batch waiting in its queue,
//! writes them together and calls `fsync` once (group commit) before answering any of
//! them; a new segment's directory entry is made durable with an `fsync` of the
//! directory before the first answer. On open, each segment is read up to its last
//! complete frame whose checksum matches, and a torn tail (a crash in the middle of a
//! write) is cut off; appends then go to a fresh segment.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::thread;

use crate::failpoint;

/// Bytes of a frame header.
pub const FRAME_HEADER: usize = 8;
/// The largest payload accepted (a frame length above it is a torn or corrupt frame).
pub const MAX_PAYLOAD: usize = 1 << 20;
/// A segment is sealed once it grows past this size.
pub const SEGMENT_BYTES: u64 = 64 << 20;

/// Append one frame to a buffer.
pub fn encode_frame(payload: &[u8], out: &mut Vec<u8>) {
    assert!(
        payload.len() <= MAX_PAYLOAD,
        "payload too large for a frame"
    );
    out.extend_from_slice(&(payload.len() as u32).to_le_bytes());
    out.extend_from_slice(&crc32c::crc32c(payload).to_le_bytes());
    out.extend_from_slice(payload);
}

/// Decode the complete, valid frames at the start of `bytes`; returns the payloads and the
/// length of the valid prefix (where a torn or corrupt tail begins).
pub fn decode_frames(bytes: &[u8]) -> (Vec<&[u8]>, usize) {
    let mut frames = Vec::new();
    let mut at = 0;
    while bytes.len() - at >= FRAME_HEADER {
        let len = u32::from_le_bytes(bytes[at..at + 4].try_into().expect("4 bytes")) as usize;
        let crc = u32::from_le_bytes(bytes[at + 4..at + 8].try_into().expect("4 bytes"));
        if len > MAX_PAYLOAD || bytes.len() - at - FRAME_HEADER < len {
            break;
        }
        let payload = &bytes[at + FRAME_HEADER..at + FRAME_HEADER + len];
        if crc32c::crc32c(payload) != crc {
            break;
        }
        frames.push(payload);
        at += FRAME_HEADER + len;
    }
    (frames, at)
}

/// `fsync` a directory so that the entries created or removed in it are durable.
pub fn sync_dir(dir: &Path) -> io::Result<()> {
    File::open(dir)?.sync_all()
}

fn segment_path(dir: &Path, id: u64) -> PathBuf {
    dir.join(format!("{id:020}.wal"))
}

/// The segment ids in a WAL directory, oldest first.
pub fn segment_ids(dir: &Path) -> io::Result<Vec<u64>> {
    let mut ids = Vec::new();
    for entry in fs::read_dir(dir)? {
        let name = entry?.file_name();
        let name = name.to_string_lossy();
        if let Some(id) = name
            .strip_suffix(".wal")
            .and_then(|s| s.parse::<u64>().ok())
        {
            ids.push(id);
        }
    }
    ids.sort_unstable();
    Ok(ids)
}

/// Read a segment's valid frames, cutting off a torn tail (and making the cut durable).
/// Returns the payloads and the number of bytes cut.
pub fn recover_segment(dir: &Path, id: u64) -> io::Result<(Vec<Vec<u8>>, u64)> {
    let path = segment_path(dir, id);
    let mut bytes = Vec::new();
    File::open(&path)?.read_to_end(&mut bytes)?;
    let (frames, valid) = decode_frames(&bytes);
    let frames: Vec<Vec<u8>> = frames.into_iter().map(<[u8]>::to_vec).collect();
    let cut = (bytes.len() - valid) as u64;
    if cut > 0 {
        let file = OpenOptions::new().write(true).open(&path)?;
        file.set_len(valid as u64)?;
        file.sync_all()?;
    }
    Ok((frames, cut))
}

/// Remove sealed segments (after their events are safely elsewhere).
pub fn remove_segments(dir: &Path, ids: &[u64]) -> io::Result<()> {
    for id in ids {
        fs::remove_file(segment_path(dir, *id))?;
        failpoint::reached("segment-removed");
    }
    sync_dir(dir)
}

type Reply = tokio::sync::oneshot::Sender<io::Result<u64>>;

enum Command {
    Append(Vec<u8>, Reply),
    Seal(Reply),
}

/// The writing side of the log.
pub struct Wal {
    dir: PathBuf,
    tx: Option<std::sync::mpsc::Sender<Command>>,
    committer: Option<thread::JoinHandle<()>>,
}

struct Segment {
    dir: PathBuf,
    id: u64,
    file: File,
    len: u64,
    dir_synced: bool,
}

impl Segment {
    fn create(dir: &Path, id: u64) -> io::Result<Segment> {
        let file = OpenOptions::new()
            .create_new(true)
            .append(true)
            .open(segment_path(dir, id))?;
        Ok(Segment {
            dir: dir.to_path_buf(),
            id,
            file,
            len: 0,
            dir_synced: false,
        })
    }

    fn write_group(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.file.write_all(bytes)?;
        failpoint::reached("wal-written");
        self.file.sync_data()?;
        if !self.dir_synced {
            sync_dir(&self.dir)?;
            self.dir_synced = true;
        }
        failpoint::reached("wal-synced");
        self.len += bytes.len() as u64;
        Ok(())
    }
}

impl Wal {
    /// Open the log in `dir` for appending to a new segment after `last_id` (the newest
    /// existing segment, already recovered by the caller).
    pub fn open(dir: &Path, last_id: Option<u64>) -> io::Result<Wal> {
        fs::create_dir_all(dir)?;
        let first = last_id.map_or(1, |id| id + 1);
        let segment = Segment::create(dir, first)?;
        let (tx, rx) = std::sync::mpsc::channel::<Command>();
        let committer = thread::Builder::new()
            .name("tiendo-wal".to_string())
            .spawn(move || commit_loop(segment, rx))?;
        Ok(Wal {
            dir: dir.to_path_buf(),
            tx: Some(tx),
            committer: Some(committer),
        })
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn send(
        &self,
        make: impl FnOnce(Reply) -> Command,
    ) -> io::Result<tokio::sync::oneshot::Receiver<io::Result<u64>>> {
        let (reply, answer) = tokio::sync::oneshot::channel();
        let tx = self.tx.as_ref().expect("open log");
        tx.send(make(reply))
            .map_err(|_| io::Error::other("WAL committer stopped"))?;
        Ok(answer)
    }

    /// Append encoded frames; returns once they are durable, with the id of the segment
    /// they went to. Blocking: not for use inside an async task (see [`Wal::append_async`]).
    pub fn append(&self, frames: Vec<u8>) -> io::Result<u64> {
        self.send(|reply| Command::Append(frames, reply))?
            .blocking_recv()
            .map_err(|_| io::Error::other("WAL committer stopped"))?
    }

    /// [`Wal::append`] for async callers.
    pub async fn append_async(&self, frames: Vec<u8>) -> io::Result<u64> {
        self.send(|reply| Command::Append(frames, reply))?
            .await
            .map_err(|_| io::Error::other("WAL committer stopped"))?
    }

    /// Start a new segment; every segment with a smaller id than the returned one is
    /// sealed. Blocking.
    pub fn seal(&self) -> io::Result<u64> {
        self.send(Command::Seal)?
            .blocking_recv()
            .map_err(|_| io::Error::other("WAL committer stopped"))?
    }
}

impl Drop for Wal {
    fn drop(&mut self) {
        self.tx.take();
        if let Some(handle) = self.committer.take() {
            let _ = handle.join();
        }
    }
}

fn commit_loop(mut segment: Segment, rx: std::sync::mpsc::Receiver<Command>) {
    while let Ok(first) = rx.recv() {
        let mut group: Vec<u8> = Vec::new();
        let mut waiting: Vec<Reply> = Vec::new();
        let mut seal: Option<Reply> = None;
        let mut next = Some(first);
        while let Some(command) = next.take() {
            match command {
                Command::Append(bytes, reply) => {
                    group.extend_from_slice(&bytes);
                    waiting.push(reply);
                    if group.len() < (16 << 20) {
                        next = rx.try_recv().ok();
                    }
                }
                Command::Seal(reply) => seal = Some(reply),
            }
        }
        if !waiting.is_empty() {
            let result = segment.write_group(&group);
            for reply in waiting {
                let _ = reply.send(match &result {
                    Ok(()) => Ok(segment.id),
                    Err(e) => Err(io::Error::new(e.kind(), e.to_string())),
                });
            }
        }
        if seal.is_some() || segment.len >= SEGMENT_BYTES {
            let next_segment = Segment::create(&segment.dir, segment.id + 1).and_then(|mut s| {
                sync_dir(&s.dir)?;
                s.dir_synced = true;
                Ok(s)
            });
            let answer = match next_segment {
                Ok(s) => {
                    segment = s;
                    Ok(segment.id)
                }
                Err(e) => Err(e),
            };
            if let Some(reply) = seal {
                let _ = reply.send(answer);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn append_seal_recover() {
        let dir = tempfile::tempdir().unwrap();
        let wal = Wal::open(dir.path(), None).unwrap();
        let mut frames = Vec::new();
        encode_frame(b"one", &mut frames);
        encode_frame(b"two", &mut frames);
        assert_eq!(wal.append(frames).unwrap(), 1);
        assert_eq!(wal.seal().unwrap(), 2);
        let mut more = Vec::new();
        encode_frame(b"three", &mut more);
        assert_eq!(wal.append(more).unwrap(), 2);
        drop(wal);
        assert_eq!(segment_ids(dir.path()).unwrap(), vec![1, 2]);
        let (frames, cut) = recover_segment(dir.path(), 1).unwrap();
        assert_eq!(frames, vec![b"one".to_vec(), b"two".to_vec()]);
        assert_eq!(cut, 0);
    }

    #[test]
    fn torn_tail_is_cut_durably() {
        let dir = tempfile::tempdir().unwrap();
        let mut bytes = Vec::new();
        encode_frame(b"kept", &mut bytes);
        encode_frame(b"torn away", &mut bytes);
        bytes.truncate(bytes.len() - 3);
        fs::write(segment_path(dir.path(), 7), &bytes).unwrap();
        let (frames, cut) = recover_segment(dir.path(), 7).unwrap();
        assert_eq!(frames, vec![b"kept".to_vec()]);
        assert_eq!(cut, (FRAME_HEADER + 9 - 3) as u64);
        assert_eq!(
            fs::metadata(segment_path(dir.path(), 7)).unwrap().len(),
            (FRAME_HEADER + 4) as u64
        );
        let wal = Wal::open(dir.path(), Some(7)).unwrap();
        let mut f = Vec::new();
        encode_frame(b"after", &mut f);
        assert_eq!(wal.append(f).unwrap(), 8);
    }

    proptest! {
        /// Whatever happens to the tail (cut anywhere, bytes flipped), recovery returns
        /// exactly the frames written before the damage, in order.
        #[test]
        fn recovery_keeps_exactly_the_intact_prefix(
            payloads in proptest::collection::vec(proptest::collection::vec(any::<u8>(), 0..64), 0..20),
            cut in any::<prop::sample::Index>(),
            flip in proptest::option::of((any::<prop::sample::Index>(), 1u8..=255)),
        ) {
            let mut bytes = Vec::new();
            let mut ends = Vec::new();
            for p in &payloads {
                encode_frame(p, &mut bytes);
                ends.push(bytes.len());
            }
            let cut_at = if bytes.is_empty() { 0 } else { cut.index(bytes.len() + 1) };
            let mut damaged = bytes[..cut_at].to_vec();
            let mut first_bad = cut_at;
            if let Some((at, xor)) = flip && !damaged.is_empty() {
                let i = at.index(damaged.len());
                damaged[i] ^= xor;
                first_bad = first_bad.min(i);
            }
            let intact = ends.iter().filter(|&&e| e <= first_bad).count();
            let (frames, valid) = decode_frames(&damaged);
            // The frames before the damage always survive, in order.
            prop_assert!(frames.len() >= intact);
            for (got, want) in frames.iter().zip(&payloads) {
                prop_assert_eq!(*got, want.as_slice());
            }
            // Nothing beyond what was written is invented, and no frame spans the cut.
            prop_assert!(frames.len() <= ends.iter().filter(|&&e| e <= cut_at).count());
            prop_assert_eq!(valid, if frames.is_empty() { 0 } else { ends[frames.len() - 1] });
        }
    }
}
