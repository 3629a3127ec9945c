//! One gram's record ids while the index is built, and their JSON.
//!
//! In memory a list is either the gaps between ids (the first id as is) as LEB128
//! varints, a byte each for the common grams, or, when that is smaller, a bitmap: a
//! gram most records hold (`の`) costs a bit per record instead of a byte per record.
//! At 100,000 notes (600,000 records) the postings are most of what the search index
//! holds, so both forms grow by an eighth at a time rather than doubling.
//!
//! In JSON a list is the gaps `[g,g,…]`, or, when shorter, a base64 bitmap string in
//! which bit `id % 8` (lowest first) of byte `id / 8` is set for each id. Which form
//! a list has in memory never changes its JSON.

/// A list below this many bytes stays gaps: switching costs more than it saves.
const BITMAP_MIN: usize = 64;

/// Record ids, ascending.
#[derive(Default)]
pub(super) struct Postings {
    last: u32,
    len: u32,
    /// The bytes the gaps take as varints, kept in both forms to choose between them.
    gap_bytes: usize,
    /// True when `bytes` is a bitmap of `last / 8 + 1` bytes; else the varint gaps.
    bitmap: bool,
    bytes: Vec<u8>,
}

/// The bytes of `n` as a LEB128 varint.
fn varint_len(n: u32) -> usize {
    (32 - (n | 1).leading_zeros()).div_ceil(7) as usize
}

fn push_varint(bytes: &mut Vec<u8>, mut n: u32) {
    while n >= 0x80 {
        bytes.push(n as u8 | 0x80);
        n >>= 7;
    }
    bytes.push(n as u8);
}

/// Makes room for `extra` more bytes, growing by an eighth rather than doubling: a
/// list's spare capacity stays a small part of it.
fn reserve(bytes: &mut Vec<u8>, extra: usize) {
    if bytes.capacity() - bytes.len() < extra {
        bytes.reserve_exact(extra.max(bytes.len() / 8 + 16));
    }
}

impl Postings {
    /// The postings of `ids`, ascending, in the smaller form.
    pub(super) fn of(ids: &[u32]) -> Postings {
        let Some(&last) = ids.last() else {
            return Postings::default();
        };
        let gaps = || {
            let previous = std::iter::once(0).chain(ids.iter().copied());
            ids.iter().zip(previous).map(|(&id, before)| id - before)
        };
        let mut postings = Postings {
            last,
            len: ids.len() as u32,
            gap_bytes: gaps().map(varint_len).sum(),
            bitmap: false,
            bytes: Vec::new(),
        };
        let bitmap_bytes = postings.bitmap_bytes();
        postings.bitmap = postings.gap_bytes >= BITMAP_MIN && bitmap_bytes < postings.gap_bytes;
        if postings.bitmap {
            postings.bytes = vec![0; bitmap_bytes];
            for &id in ids {
                postings.bytes[id as usize / 8] |= 1 << (id % 8);
            }
        } else {
            postings.bytes = Vec::with_capacity(postings.gap_bytes);
            for gap in gaps() {
                push_varint(&mut postings.bytes, gap);
            }
        }
        postings
    }

    /// Adds `ids` (ascending), each plus `offset`, after the ids held: what pushing
    /// them one by one gives, with the form weighed once, at the end.
    pub(super) fn extend(&mut self, ids: &[u32], offset: u32) {
        let Some(&last) = ids.last() else {
            return;
        };
        let mut before = if self.len == 0 { 0 } else { self.last };
        if self.bitmap {
            let size = (offset + last) as usize / 8 + 1;
            let extra = size.saturating_sub(self.bytes.len());
            reserve(&mut self.bytes, extra);
            self.bytes.resize(size.max(self.bytes.len()), 0);
            for &id in ids {
                let id = offset + id;
                self.gap_bytes += varint_len(id - before);
                self.bytes[id as usize / 8] |= 1 << (id % 8);
                before = id;
            }
        } else {
            reserve(&mut self.bytes, ids.len() * 2);
            for &id in ids {
                let id = offset + id;
                let gap = id - before;
                self.gap_bytes += varint_len(gap);
                push_varint(&mut self.bytes, gap);
                before = id;
            }
        }
        self.len += ids.len() as u32;
        self.last = offset + last;
        self.choose_form();
    }

    /// Appends `id`, larger than any before it.
    pub(super) fn push(&mut self, id: u32) {
        let gap = if self.len == 0 { id } else { id - self.last };
        (self.last, self.len) = (id, self.len + 1);
        self.gap_bytes += varint_len(gap);
        if self.bitmap {
            self.set_bit(id);
        } else {
            reserve(&mut self.bytes, 5);
            push_varint(&mut self.bytes, gap);
        }
        self.choose_form();
    }

    fn set_bit(&mut self, id: u32) {
        let at = id as usize / 8;
        if at >= self.bytes.len() {
            let extra = at + 1 - self.bytes.len();
            reserve(&mut self.bytes, extra);
            self.bytes.resize(at + 1, 0);
        }
        self.bytes[at] |= 1 << (id % 8);
    }

    fn bitmap_bytes(&self) -> usize {
        if self.len == 0 {
            0
        } else {
            self.last as usize / 8 + 1
        }
    }

    /// Keeps the smaller form; a bitmap goes back to gaps only when they are half its
    /// size, so a list on the edge does not switch at every id.
    #[inline]
    fn choose_form(&mut self) {
        let bitmap_bytes = self.bitmap_bytes();
        let to_bitmap =
            !self.bitmap && self.gap_bytes >= BITMAP_MIN && bitmap_bytes < self.gap_bytes;
        let to_gaps = self.bitmap && self.gap_bytes * 2 < bitmap_bytes;
        // Either way the smaller form is the one to switch to.
        if to_bitmap || to_gaps {
            self.switch_form();
        }
    }

    #[cold]
    fn switch_form(&mut self) {
        let mut ids = Vec::with_capacity(self.len as usize);
        self.for_each_id(|id| ids.push(id));
        *self = Postings::of(&ids);
    }

    /// Calls `f` with each id, ascending.
    fn for_each_id(&self, mut f: impl FnMut(u32)) {
        if self.bitmap {
            for (i, &byte) in self.bytes.iter().enumerate() {
                let mut bits = byte;
                while bits != 0 {
                    f(i as u32 * 8 + bits.trailing_zeros());
                    bits &= bits - 1;
                }
            }
            return;
        }
        let (mut id, mut first) = (0u32, true);
        let mut bytes = self.bytes.iter();
        loop {
            let (mut gap, mut shift) = (0u32, 0);
            loop {
                let Some(&b) = bytes.next() else {
                    return;
                };
                gap |= u32::from(b & 0x7f) << shift;
                if b < 0x80 {
                    break;
                }
                shift += 7;
            }
            id = if first { gap } else { id + gap };
            first = false;
            f(id);
        }
    }

    /// Calls `f` with each gap (the first id as is).
    fn for_each_gap(&self, mut f: impl FnMut(u32)) {
        let (mut last, mut first) = (0, true);
        self.for_each_id(|id| {
            f(if first { id } else { id - last });
            (last, first) = (id, false);
        });
    }

    /// The bytes of the gap list `[g,g,…]`.
    fn list_len(&self) -> usize {
        let mut digits = 0;
        self.for_each_gap(|gap| digits += decimal_len(gap));
        digits + (self.len as usize).saturating_sub(1) + 2
    }

    /// The bytes of the bitmap string, quotes included.
    fn bitmap_len(&self) -> usize {
        self.bitmap_bytes().div_ceil(3) * 4 + 2
    }

    /// Whether [`Postings::encode`] writes the bitmap (when its string is shorter than
    /// the gap list), and the bytes it writes: weighed once a gram, since the list's
    /// length means reading all its ids. A gap's decimal digits are never fewer than its
    /// varint bytes, so the list is at least `gap_bytes` plus its commas and brackets: a
    /// dense list is decided without reading them.
    pub(super) fn encoding(&self) -> (bool, usize) {
        let bitmap = self.bitmap_len();
        if bitmap < self.gap_bytes + self.len as usize + 1 {
            return (true, bitmap);
        }
        let list = self.list_len();
        (bitmap < list, bitmap.min(list))
    }

    /// The bytes [`Postings::encode`] writes.
    #[cfg(test)]
    pub(super) fn encoded_len(&self) -> usize {
        self.encoding().1
    }

    /// Appends `other`, whose ids are counted from `offset` and larger than any here.
    pub(super) fn append(&mut self, other: &Postings, offset: u32) {
        if other.len == 0 {
            return;
        }
        if self.bitmap && other.bitmap {
            self.append_bitmap(other, offset);
            return;
        }
        if self.bitmap || other.bitmap {
            other.for_each_id(|id| self.push(offset + id));
            return;
        }
        // Both gaps: only the first gap changes; the rest are copied as they are. The
        // form is weighed once, at the end (`push` would weigh it after the first gap,
        // and a list turned bitmap there would take the rest's gap bytes as bits).
        let first_bytes = other
            .bytes
            .iter()
            .position(|&b| b < 0x80)
            .map_or(0, |i| i + 1);
        let first = offset + other.first_id();
        let gap = if self.len == 0 {
            first
        } else {
            first - self.last
        };
        let rest = &other.bytes[first_bytes..];
        reserve(&mut self.bytes, varint_len(gap) + rest.len());
        push_varint(&mut self.bytes, gap);
        self.bytes.extend_from_slice(rest);
        self.gap_bytes += varint_len(gap) + other.gap_bytes - first_bytes;
        self.len += other.len;
        self.last = offset + other.last;
        self.choose_form();
    }

    /// [`Postings::append`] of two bitmaps: `other`'s bytes ORed in, shifted by `offset`.
    fn append_bitmap(&mut self, other: &Postings, offset: u32) {
        let first = offset + other.first_id();
        let gap = if self.len == 0 {
            first
        } else {
            first - self.last
        };
        self.gap_bytes += varint_len(gap) + other.gap_bytes - varint_len(other.first_id());
        (self.len, self.last) = (self.len + other.len, offset + other.last);
        let size = self.bitmap_bytes();
        let extra = size - self.bytes.len();
        reserve(&mut self.bytes, extra);
        self.bytes.resize(size, 0);
        let (base, shift) = (offset as usize / 8, offset % 8);
        for (i, &byte) in other.bytes.iter().enumerate() {
            self.bytes[base + i] |= byte << shift;
            if shift > 0 && byte >> (8 - shift) != 0 {
                self.bytes[base + i + 1] |= byte >> (8 - shift);
            }
        }
        self.choose_form();
    }

    fn first_id(&self) -> u32 {
        if self.bitmap {
            let i = self.bytes.iter().position(|&b| b != 0).unwrap_or(0);
            return i as u32 * 8 + self.bytes.get(i).map_or(0, |b| b.trailing_zeros());
        }
        let mut id = 0;
        for (i, &b) in self.bytes.iter().enumerate() {
            id |= u32::from(b & 0x7f) << (7 * i);
            if b < 0x80 {
                break;
            }
        }
        id
    }

    /// Writes the gap list, or the bitmap when it is shorter.
    #[cfg(test)]
    pub(super) fn encode(&self, out: &mut String) {
        self.encode_as(self.encoding().0, out)
    }

    /// Writes the bitmap, or the gap list: as [`Postings::encoding`] said.
    pub(super) fn encode_as(&self, bitmap: bool, out: &mut String) {
        if bitmap {
            out.push('"');
            if self.bitmap {
                out.push_str(&base64(&self.bytes));
            } else {
                let mut bits = vec![0u8; self.bitmap_bytes()];
                self.for_each_id(|id| bits[id as usize / 8] |= 1 << (id % 8));
                out.push_str(&base64(&bits));
            }
            out.push('"');
            return;
        }
        out.push('[');
        let mut first = true;
        self.for_each_gap(|gap| {
            if !first {
                out.push(',');
            }
            first = false;
            crate::text::push_decimal(out, i64::from(gap));
        });
        out.push(']');
    }
}

fn decimal_len(n: u32) -> usize {
    n.checked_ilog10().unwrap_or(0) as usize + 1
}

/// Standard base64 with padding (RFC 4648), the alphabet `atob` reads.
pub(super) fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for group in bytes.chunks(3) {
        let n = (u32::from(group[0]) << 16)
            | (u32::from(*group.get(1).unwrap_or(&0)) << 8)
            | u32::from(*group.get(2).unwrap_or(&0));
        for i in 0..4 {
            if i <= group.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i)) as usize & 63] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn json(p: &Postings) -> String {
        let mut out = String::new();
        p.encode(&mut out);
        assert_eq!(out.len(), p.encoded_len(), "{out}");
        out
    }

    fn of(ids: impl IntoIterator<Item = u32>) -> Postings {
        let mut p = Postings::default();
        for id in ids {
            p.push(id);
        }
        p
    }

    #[test]
    fn varint_lengths_match_leb128() {
        for n in [
            0,
            1,
            127,
            128,
            16_383,
            16_384,
            2_097_151,
            2_097_152,
            u32::MAX,
        ] {
            let mut bytes = Vec::new();
            push_varint(&mut bytes, n);
            assert_eq!(varint_len(n), bytes.len(), "{n}");
        }
    }

    #[test]
    fn dense_lists_are_bitmaps_in_memory_and_json_is_unchanged() {
        let ids: Vec<u32> = (0..5000).filter(|i| i % 3 != 1).collect();
        let p = of(ids.iter().copied());
        assert!(p.bitmap);
        let mut seen = Vec::new();
        p.for_each_id(|id| seen.push(id));
        assert_eq!(seen, ids);
        assert!(json(&p).starts_with('"'));
    }

    #[test]
    fn a_bitmap_that_turns_sparse_goes_back_to_gaps() {
        let mut p = of(0..1000);
        assert!(p.bitmap);
        for id in (0..100).map(|i| 1_000_000 + i * 50_000) {
            p.push(id);
        }
        assert!(!p.bitmap);
        let expected: Vec<u32> = (0..1000)
            .chain((0..100).map(|i| 1_000_000 + i * 50_000))
            .collect();
        let mut seen = Vec::new();
        p.for_each_id(|id| seen.push(id));
        assert_eq!(seen, expected);
        assert!(json(&p).starts_with('['));
    }

    /// A gap list one gap short of a bitmap, appended a gap list whose first id tips it
    /// over: the rest of the appended ids go into the bitmap as bits. (They were copied
    /// in as gap bytes, which read as ids past the last record: the sample's index had
    /// `)` in records 104 and 112 of its 101.)
    #[test]
    fn an_append_whose_first_id_makes_a_bitmap_sets_the_rest_as_bits() {
        let a: Vec<u32> = (0..63).collect();
        let b = [0, 1, 2];
        let mut appended = of(a.iter().copied());
        assert!(!appended.bitmap);
        appended.append(&of(b), 63);
        assert!(appended.bitmap);
        let mut ids = Vec::new();
        appended.for_each_id(|id| ids.push(id));
        assert_eq!(ids, (0..66).collect::<Vec<u32>>());
        assert_eq!(json(&appended), json(&of(0..66)));
    }

    proptest::proptest! {
        /// The form is the shorter, the length its length, however the lists are spread.
        #[test]
        fn the_shorter_form_is_the_one_the_lengths_say(
            gaps in proptest::collection::vec(
                proptest::prop_oneof![0u32..3, 0u32..200, 0u32..40_000, 0u32..3_000_000],
                0..300,
            )
        ) {
            let mut postings = Postings::default();
            let mut id = 0u32;
            for (i, gap) in gaps.iter().enumerate() {
                id = if i == 0 { *gap } else { id + (*gap).max(1) };
                postings.push(id);
            }
            let (bitmap, len) = postings.encoding();
            proptest::prop_assert_eq!(bitmap, postings.bitmap_len() < postings.list_len());
            proptest::prop_assert_eq!(len, postings.bitmap_len().min(postings.list_len()));
        }
    }

    /// Appending a list, or extending by its ids, in whichever forms the two are.
    #[test]
    fn appending_and_extending_in_either_form_equal_pushing() {
        let runs: [Vec<u32>; 6] = [
            (0..400).collect(),
            (0..400).step_by(37).collect(),
            vec![5],
            (3..900).step_by(2).collect(),
            vec![0, 1, 2, 3, 40, 41, 300],
            Vec::new(),
        ];
        for (a, b, offset) in runs
            .iter()
            .flat_map(|a| runs.iter().map(move |b| (a, b)))
            .flat_map(|(a, b)| [(a, b, 1000), (a, b, 1003)])
        {
            let pushed = of(a.iter().copied().chain(b.iter().map(|id| id + offset)));
            let mut appended = of(a.iter().copied());
            appended.append(&of(b.iter().copied()), offset);
            let mut extended = of(a.iter().copied());
            extended.extend(b, offset);
            for made in [appended, extended] {
                assert_eq!(json(&made), json(&pushed), "{offset}");
                assert_eq!(made.gap_bytes, pushed.gap_bytes);
                assert_eq!(made.len, pushed.len);
            }
        }
    }
}
