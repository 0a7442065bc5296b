//! Text columns dictionary-encoded here, not by the Parquet library.
//!
//! The library's byte-array writer takes one `ByteArray` per value (a reference-counted slice:
//! an atomic increment and decrement each), hashes and interns each value into its
//! dictionary, compares each with the chunk's least and greatest, and measures each against
//! the page's byte budget: some 80 ns a value, which made the text columns the largest cost of
//! writing the event log (seven of its seventeen columns, a few dozen words in all). Here a
//! column chunk's values are looked up in a small open-addressing table over the buffer's own
//! bytes, their codes bit-packed or run-length encoded (the RLE/bit-packing hybrid), and the
//! chunk's pages written through the library's page writer, its metadata built as the
//! library builds it (statistics, sizes, level histogram, page encodings, offset index) and
//! spliced into the row group with `append_column`. The rows and types read back are those the
//! library's writer gives; the bytes differ (the hybrid's runs, page boundaries).
//!
//! A chunk this encoder does not take (no value at all, a dictionary past the library's 1 MiB
//! limit, a word longer than the library's 64-byte statistics) is left to the library, which
//! handles them (plain pages, truncated statistics).

use bytes::Bytes;
use parquet::basic::{Encoding, EncodingMask, PageType};
use parquet::column::page::{CompressedPage, Page, PageWriter};
use parquet::column::writer::ColumnCloseResult;
use parquet::data_type::ByteArray;
use parquet::errors::ParquetError;
use parquet::file::metadata::{
    ColumnChunkMetaData, LevelHistogram, OffsetIndexBuilder, PageEncodingStats,
};
use parquet::file::statistics::Statistics;
use parquet::file::writer::{SerializedPageWriter, TrackedWrite};
use parquet::schema::types::ColumnDescPtr;

/// The largest dictionary page (plain-encoded: a length and the bytes of each word) this
/// encoder writes: the Parquet library's own limit, past which it falls back to plain pages.
const DICTIONARY_BYTES_MAX: usize = parquet::file::properties::DEFAULT_DICTIONARY_PAGE_SIZE_LIMIT;

/// The longest word whose chunk this encoder takes: the library truncates longer least and
/// greatest values in the statistics, which this encoder does not do.
const WORD_BYTES_MAX: usize = 64;

/// Rows per data page. The library starts a page every 20,000 rows or so; pages this size
/// keep what a reader skips by the offset index (a life read from a stored log) as fine.
const PAGE_ROWS: usize = 16_384;

/// The FxHash constant: a multiply that spreads a word's bits.
const SPREAD: u64 = 0x517c_c1b7_2722_0a95;

/// A hash of `word`, eight bytes at a time. Not keyed: the words are a table's own, and a
/// writer that met many words of one hash would be slow, not wrong.
fn hash(word: &[u8]) -> u64 {
    let mut h = (word.len() as u64).wrapping_mul(SPREAD);
    let mut chunks = word.chunks_exact(8);
    for chunk in &mut chunks {
        let mut eight = [0; 8];
        eight.copy_from_slice(chunk);
        h = (h.rotate_left(5) ^ u64::from_le_bytes(eight)).wrapping_mul(SPREAD);
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        let mut eight = [0; 8];
        eight[..rest.len()].copy_from_slice(rest);
        h = (h.rotate_left(5) ^ u64::from_le_bytes(eight)).wrapping_mul(SPREAD);
    }
    h
}

/// Appends `value` as an unsigned LEB128 varint, as the hybrid's run headers are written.
fn push_varint(out: &mut Vec<u8>, mut value: u64) {
    while value >= 0x80 {
        #[allow(clippy::cast_possible_truncation)]
        out.push((value as u8) | 0x80);
        value >>= 7;
    }
    #[allow(clippy::cast_possible_truncation)]
    out.push(value as u8);
}

/// Appends `values` bit-packed, `width` bits each, least significant bit first, as one run of
/// the hybrid: a header counting groups of eight, then the groups (the last padded with zeros).
fn push_bit_packed(out: &mut Vec<u8>, values: &[u32], width: u32) {
    let groups = values.len().div_ceil(8);
    push_varint(out, ((groups as u64) << 1) | 1);
    let mut acc: u64 = 0;
    let mut bits = 0;
    for k in 0..groups * 8 {
        acc |= u64::from(values.get(k).copied().unwrap_or(0)) << bits;
        bits += width;
        while bits >= 8 {
            #[allow(clippy::cast_possible_truncation)]
            out.push(acc as u8);
            acc >>= 8;
            bits -= 8;
        }
    }
}

/// Appends a run of `count` times `value` as one run of the hybrid: a header, then the value
/// in the fewest whole bytes that hold `width` bits.
fn push_repeated(out: &mut Vec<u8>, value: u32, count: usize, width: u32) {
    push_varint(out, (count as u64) << 1);
    let bytes = width.div_ceil(8) as usize;
    out.extend_from_slice(&value.to_le_bytes()[..bytes]);
}

/// Appends `values` (each below 2^`width`) in the RLE/bit-packing hybrid of the Parquet
/// format: a run of eight or more equal values is one repeated run, the rest bit-packed in
/// groups of eight (a bit-packed run covers whole groups, so it borrows from the run that
/// follows it to fill its last group).
pub(crate) fn push_hybrid(out: &mut Vec<u8>, values: &[u32], width: u32) {
    let mut packed_from = 0;
    let mut at = 0;
    while at < values.len() {
        let value = values[at];
        let mut end = at + 1;
        while end < values.len() && values[end] == value {
            end += 1;
        }
        let fill = (8 - (at - packed_from) % 8) % 8;
        if end - at >= fill + 8 {
            if at + fill > packed_from {
                push_bit_packed(out, &values[packed_from..at + fill], width);
            }
            push_repeated(out, value, end - at - fill, width);
            packed_from = end;
        }
        at = end;
    }
    if packed_from < values.len() {
        push_bit_packed(out, &values[packed_from..], width);
    }
}

/// The reusable state of the text encoder: kept by the writer across row groups, so that a
/// chunk allocates only its pages.
pub(crate) struct TextEncoder {
    /// Open addressing: 0 for an empty slot, else a word's code plus one.
    slots: Vec<u32>,
    /// Each word of the chunk's dictionary, by code: where its first occurrence lies in the
    /// buffer's bytes.
    words: Vec<(usize, usize)>,
    /// The code of each value.
    codes: Vec<u32>,
    /// Definition levels as the hybrid takes them.
    levels: Vec<u32>,
    /// A page's body before compression, and after.
    body: Vec<u8>,
    compressed: Vec<u8>,
    snappy: snap::raw::Encoder,
}

impl Default for TextEncoder {
    fn default() -> TextEncoder {
        TextEncoder {
            slots: Vec::new(),
            words: Vec::new(),
            codes: Vec::new(),
            levels: Vec::new(),
            body: Vec::new(),
            compressed: Vec::new(),
            snappy: snap::raw::Encoder::new(),
        }
    }
}

/// A column chunk encoded: its bytes (pages with their headers) and what the row group
/// needs to splice it in.
pub(crate) struct Chunk {
    pub(crate) bytes: Bytes,
    pub(crate) close: ColumnCloseResult,
}

impl TextEncoder {
    /// The words of the values, their codes in `self.codes`: `false` if the dictionary would
    /// pass the library's limit or a word is longer than the statistics take.
    fn intern(&mut self, bytes: &[u8], ends: &[usize]) -> bool {
        self.words.clear();
        self.codes.clear();
        let mut size = 64;
        while size < 2 * ends.len().min(1 << 16) {
            size *= 2;
        }
        self.slots.clear();
        self.slots.resize(size, 0);
        let mut shift = 64 - size.trailing_zeros();
        let mut dictionary_bytes = 0;
        let mut start = 0;
        for &end in ends {
            let word = &bytes[start..end];
            #[allow(clippy::cast_possible_truncation)]
            let mut slot = (hash(word) >> shift) as usize;
            let code = loop {
                let entry = self.slots[slot];
                if entry == 0 {
                    if word.len() > WORD_BYTES_MAX {
                        return false;
                    }
                    dictionary_bytes += 4 + word.len();
                    if dictionary_bytes > DICTIONARY_BYTES_MAX {
                        return false;
                    }
                    let code = u32::try_from(self.words.len()).expect("under the size limit");
                    self.words.push((start, end));
                    self.slots[slot] = code + 1;
                    if 2 * self.words.len() > self.slots.len() {
                        shift -= 1;
                        self.rehash(bytes, shift);
                    }
                    break code;
                }
                let (from, to) = self.words[entry as usize - 1];
                if &bytes[from..to] == word {
                    break entry - 1;
                }
                slot = (slot + 1) & (self.slots.len() - 1);
            };
            self.codes.push(code);
            start = end;
        }
        true
    }

    /// Doubles the table and places every word again.
    fn rehash(&mut self, bytes: &[u8], shift: u32) {
        let size = 2 * self.slots.len();
        self.slots.clear();
        self.slots.resize(size, 0);
        for (code, &(from, to)) in self.words.iter().enumerate() {
            #[allow(clippy::cast_possible_truncation)]
            let mut slot = (hash(&bytes[from..to]) >> shift) as usize;
            while self.slots[slot] != 0 {
                slot = (slot + 1) & (size - 1);
            }
            self.slots[slot] = u32::try_from(code).expect("under the size limit") + 1;
        }
    }

    /// Compresses `self.body` as the library does (Snappy) and writes it as `page`.
    fn write_page(
        &mut self,
        writer: &mut SerializedPageWriter<'_, Vec<u8>>,
        page: impl FnOnce(Bytes) -> Page,
    ) -> Result<parquet::column::page::PageWriteSpec, ParquetError> {
        self.compressed.clear();
        self.compressed
            .resize(snap::raw::max_compress_len(self.body.len()), 0);
        let written = self
            .snappy
            .compress(&self.body, &mut self.compressed)
            .map_err(|e| ParquetError::External(Box::new(e)))?;
        let buf = Bytes::copy_from_slice(&self.compressed[..written]);
        writer.write_page(CompressedPage::new(page(buf), self.body.len()))
    }

    /// Encodes a text column chunk of `rows` rows: the values (`bytes` cut at `ends`) and,
    /// for a nullable column, its definition levels. `None` if the chunk is one to leave to
    /// the library (see the module's comment).
    pub(crate) fn encode(
        &mut self,
        descr: &ColumnDescPtr,
        bytes: &[u8],
        ends: &[usize],
        levels: Option<&[i16]>,
    ) -> Result<Option<Chunk>, ParquetError> {
        if ends.is_empty() || !self.intern(bytes, ends) {
            return Ok(None);
        }
        let rows = levels.map_or(ends.len(), <[i16]>::len);
        let word = |&(from, to): &(usize, usize)| &bytes[from..to];
        let (mut least, mut greatest) = (&self.words[0], &self.words[0]);
        for entry in &self.words[1..] {
            if word(entry) < word(least) {
                least = entry;
            }
            if word(entry) > word(greatest) {
                greatest = entry;
            }
        }
        let statistics = Statistics::byte_array(
            Some(ByteArray::from(word(least).to_vec())),
            Some(ByteArray::from(word(greatest).to_vec())),
            None,
            Some((rows - ends.len()) as u64),
            false,
        );
        let width = u32::BITS
            - u32::try_from(self.words.len() - 1)
                .expect("few words")
                .leading_zeros();

        let mut sink = TrackedWrite::new(Vec::new());
        let mut writer = SerializedPageWriter::new(&mut sink);
        let (mut compressed_size, mut uncompressed_size, mut bytes_written) = (0, 0, 0);

        // The dictionary page: each word's length and bytes (PLAIN).
        self.body.clear();
        for entry in &self.words {
            let word = word(entry);
            self.body
                .extend_from_slice(&u32::try_from(word.len()).expect("short").to_le_bytes());
            self.body.extend_from_slice(word);
        }
        let entries = u32::try_from(self.words.len()).expect("few words");
        let spec = self.write_page(&mut writer, |buf| Page::DictionaryPage {
            buf,
            num_values: entries,
            encoding: Encoding::PLAIN,
            is_sorted: false,
        })?;
        let dictionary_offset = spec.offset;
        compressed_size += spec.compressed_size;
        uncompressed_size += spec.uncompressed_size;
        bytes_written += spec.bytes_written;

        // The data pages: levels (length-prefixed), the codes' width, the codes.
        let mut offsets = OffsetIndexBuilder::new();
        let mut data_offset = None;
        let mut pages = 0;
        let (mut value, mut row) = (0, 0);
        while row < rows {
            let page_rows = PAGE_ROWS.min(rows - row);
            self.body.clear();
            let values = match levels {
                Some(levels) => {
                    let levels = &levels[row..row + page_rows];
                    self.levels.clear();
                    self.levels
                        .extend(levels.iter().map(|&l| u32::from(l == 1)));
                    let at = self.body.len();
                    self.body.extend_from_slice(&[0; 4]);
                    push_hybrid(&mut self.body, &self.levels, 1);
                    let length = u32::try_from(self.body.len() - at - 4).expect("a page");
                    self.body[at..at + 4].copy_from_slice(&length.to_le_bytes());
                    levels.iter().filter(|&&l| l == 1).count()
                }
                None => page_rows,
            };
            #[allow(clippy::cast_possible_truncation)]
            self.body.push(width as u8);
            push_hybrid(&mut self.body, &self.codes[value..value + values], width);
            let text_bytes = if values == 0 {
                0
            } else {
                let start = if value == 0 { 0 } else { ends[value - 1] };
                ends[value + values - 1] - start
            };
            let page_values = u32::try_from(page_rows).expect("a page");
            let spec = self.write_page(&mut writer, |buf| Page::DataPage {
                buf,
                num_values: page_values,
                encoding: Encoding::RLE_DICTIONARY,
                def_level_encoding: Encoding::RLE,
                rep_level_encoding: Encoding::RLE,
                statistics: None,
            })?;
            data_offset.get_or_insert(spec.offset);
            offsets.append_offset_and_size(
                i64::try_from(spec.offset).expect("a chunk"),
                i32::try_from(spec.compressed_size).expect("a page"),
            );
            offsets.append_row_count(i64::try_from(page_rows).expect("a page"));
            offsets.append_unencoded_byte_array_data_bytes(Some(
                i64::try_from(text_bytes).expect("a page"),
            ));
            compressed_size += spec.compressed_size;
            uncompressed_size += spec.uncompressed_size;
            bytes_written += spec.bytes_written;
            pages += 1;
            value += values;
            row += page_rows;
        }

        let to_i64 = |n: usize| i64::try_from(n).expect("a chunk");
        let mut metadata = ColumnChunkMetaData::builder(descr.clone())
            .set_compression(parquet::basic::Compression::SNAPPY)
            .set_encodings_mask(EncodingMask::new_from_encodings(
                [Encoding::PLAIN, Encoding::RLE, Encoding::RLE_DICTIONARY].iter(),
            ))
            .set_page_encoding_stats(vec![
                PageEncodingStats {
                    page_type: PageType::DICTIONARY_PAGE,
                    encoding: Encoding::PLAIN,
                    count: 1,
                },
                PageEncodingStats {
                    page_type: PageType::DATA_PAGE,
                    encoding: Encoding::RLE_DICTIONARY,
                    count: pages,
                },
            ])
            .set_total_compressed_size(to_i64(compressed_size))
            .set_total_uncompressed_size(to_i64(uncompressed_size))
            .set_num_values(to_i64(rows))
            .set_data_page_offset(i64::try_from(data_offset.unwrap_or(0)).expect("a chunk"))
            .set_dictionary_page_offset(Some(i64::try_from(dictionary_offset).expect("a chunk")))
            .set_statistics(statistics)
            .set_unencoded_byte_array_data_bytes(Some(to_i64(*ends.last().unwrap_or(&0))));
        if levels.is_some() {
            metadata = metadata.set_definition_level_histogram(Some(LevelHistogram::from(vec![
                to_i64(rows - ends.len()),
                to_i64(ends.len()),
            ])));
        }
        let bytes = Bytes::from(sink.into_inner()?);
        Ok(Some(Chunk {
            bytes,
            close: ColumnCloseResult {
                bytes_written,
                rows_written: rows as u64,
                metadata: metadata.build()?,
                bloom_filter: None,
                column_index: None,
                offset_index: Some(offsets.build()),
            },
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Decodes `count` values of the hybrid from `bytes`, as the format describes it (written
    /// here from the format, not from the encoder).
    fn decode(mut bytes: &[u8], width: u32, count: usize) -> Vec<u32> {
        let mut out = Vec::new();
        let varint = |bytes: &mut &[u8]| {
            let (mut value, mut shift) = (0_u64, 0);
            loop {
                let byte = bytes[0];
                *bytes = &bytes[1..];
                value |= u64::from(byte & 0x7f) << shift;
                shift += 7;
                if byte < 0x80 {
                    return value;
                }
            }
        };
        while out.len() < count {
            let header = varint(&mut bytes);
            if header & 1 == 1 {
                let values = (header >> 1) as usize * 8;
                let length = values * width as usize / 8;
                let (packed, rest) = bytes.split_at(length);
                for k in 0..values {
                    let mut value = 0_u32;
                    for bit in 0..width as usize {
                        let at = k * width as usize + bit;
                        value |= u32::from((packed[at / 8] >> (at % 8)) & 1) << bit;
                    }
                    out.push(value);
                }
                bytes = rest;
            } else {
                let run = (header >> 1) as usize;
                let length = width.div_ceil(8) as usize;
                let mut four = [0; 4];
                four[..length].copy_from_slice(&bytes[..length]);
                bytes = &bytes[length..];
                out.extend(std::iter::repeat_n(u32::from_le_bytes(four), run));
            }
        }
        assert!(bytes.is_empty(), "nothing is left after the last run");
        out.truncate(count);
        out
    }

    /// Values below 2^`width`, in runs of random lengths (long runs are what the repeated
    /// runs are for).
    fn runs() -> impl Strategy<Value = (u32, Vec<u32>)> {
        (0_u32..=32).prop_flat_map(|width| {
            let top = if width == 32 {
                u32::MAX
            } else {
                (1 << width) - 1
            };
            (
                Just(width),
                proptest::collection::vec((0..=top, 1_usize..40), 0..40).prop_map(|runs| {
                    runs.into_iter()
                        .flat_map(|(value, length)| std::iter::repeat_n(value, length))
                        .collect()
                }),
            )
        })
    }

    proptest! {
        /// Goal: the hybrid encodes any values of any width (0 to 32 bits) so that the
        /// format's decoding gives them back. Method: random runs of random values, decoded by
        /// a decoder written from the format's description.
        #[test]
        fn the_hybrid_decodes_to_its_values((width, values) in runs()) {
            let mut out = Vec::new();
            push_hybrid(&mut out, &values, width);
            prop_assert_eq!(decode(&out, width, values.len()), values);
        }
    }

    #[test]
    fn long_runs_are_repeated_runs_and_the_rest_is_packed() {
        // Three values, then 20 sevens: the packed run takes five sevens to fill its group of
        // eight, the repeated run the other fifteen.
        let mut values = vec![1, 2, 3];
        values.extend([7; 20]);
        let mut out = Vec::new();
        push_hybrid(&mut out, &values, 3);
        assert_eq!(
            out,
            [0b11, 0b1101_0001, 0b1111_1110, 0b1111_1111, 15 << 1, 7]
        );
    }
}
