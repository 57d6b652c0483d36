/*
 * _scan.c - the compiled hot path of heron.formats.scan (read scan.py for the contract).
 *
 * It walks TFRecord-framed Event protos in a buffer, verifies both masked CRC32Cs of every record,
 * and decodes the one layout that dominates event files - events whose summary values are all
 * plain float scalars of tags already known to be scalar series - straight into columns. Any
 * other record is handed back to Python untouched (the "residual") and scanning stops there.
 *
 * _scan_python.py is the statement-by-statement pure-Python twin of this file: the two must give
 * identical results for every input, which tests/unit/test_scan_properties.py checks on random
 * and damaged bytes. Change both together.
 *
 * Decoding is deliberately conservative. Whenever the bytes are anything but an ordinary encoding
 * (a known field with an unexpected wire type, a group, a 10-byte varint with stray high bits, a
 * oneof switching members, invalid UTF-8 in a string field, ...) the record is not decoded here
 * but returned as residual, so that the protobuf runtime - the reference - decides what it means.
 * A wrong fast answer would be a bug; a needless residual only costs a little time.
 *
 * Safety: every length and varint is bounds-checked against the end of its enclosing message,
 * nothing is read outside buffer[start:end], and a record length is trusted only after its CRC
 * passed and only if the whole record is in the buffer, so no length ever drives an allocation.
 * The GIL is released while scanning; the tag table and output columns are built before that.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <stdint.h>
#include <string.h>

#if (defined(__GNUC__) || defined(__clang__)) && defined(__x86_64__)
#define HERON_CRC_SSE42 1
#include <nmmintrin.h>
#elif defined(__aarch64__) && defined(__ARM_FEATURE_CRC32)
#define HERON_CRC_ARMV8 1
#include <arm_acle.h>
#endif

/* TFRecord framing: u64 length, u32 masked CRC of those 8 bytes, payload, u32 masked CRC. */
#define HEADER_SIZE 12
#define FOOTER_SIZE 4
#define MASK_DELTA 0xA282EAD8u
/* CRC-32C (Castagnoli), reflected polynomial. */
#define CRC32C_POLY 0x82F63B78u

/* Stop reasons; scan.py's ScanReason maps these codes. */
enum { REASON_END = 0, REASON_INCOMPLETE = 1, REASON_RESIDUAL = 2, REASON_FRAMING = 3,
       REASON_LIMIT = 4 };

/* Protobuf wire types. 3 and 4 (groups) are never decoded here: they make a record residual. */
enum { WT_VARINT = 0, WT_I64 = 1, WT_LEN = 2, WT_I32 = 5 };

/* TensorFlow DataType values of the two dtypes the fast path accepts. */
enum { DT_FLOAT = 1, DT_DOUBLE = 2 };

/* A point needs at least 7 bytes of its record: a Summary.value key and length (2 bytes) around
 * a Value holding only simple_value (key + 4 bytes). A tensor value is longer, and a record adds
 * 16 bytes of framing and 2 bytes for Event.summary. So buffer[start:end] holds fewer than
 * (end - start) / 7 + 1 points: output columns of that many rows can never overflow. */
#define MIN_POINT_BYTES 7

/* ------------------------------------------------------------------------------ byte loads */

static inline uint32_t load_le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline uint64_t load_le64(const uint8_t *p)
{
    return (uint64_t)load_le32(p) | (uint64_t)load_le32(p + 4) << 32;
}

static inline float load_f32(const uint8_t *p)
{
    uint32_t bits = load_le32(p);
    float value;
    memcpy(&value, &bits, sizeof value);
    return value;
}

static inline double load_f64(const uint8_t *p)
{
    uint64_t bits = load_le64(p);
    double value;
    memcpy(&value, &bits, sizeof value);
    return value;
}

/* ---------------------------------------------------------------------------------- CRC32C */

/* Slicing-by-8 tables: crc_table[k][b] is the CRC of byte b followed by k zero bytes. */
static uint32_t crc_table[8][256];

static void crc_table_init(void)
{
    for (uint32_t b = 0; b < 256; b++) {
        uint32_t crc = b;
        for (int bit = 0; bit < 8; bit++)
            crc = (crc >> 1) ^ (CRC32C_POLY & (0u - (crc & 1u)));
        crc_table[0][b] = crc;
    }
    for (uint32_t b = 0; b < 256; b++)
        for (int k = 1; k < 8; k++)
            crc_table[k][b] = (crc_table[k - 1][b] >> 8) ^ crc_table[0][crc_table[k - 1][b] & 0xFF];
}

/* Portable CRC-32C. `crc` is a previous result (0 to start), so calls can be chained. */
static uint32_t crc32c_table(uint32_t crc, const uint8_t *p, size_t n)
{
    crc = ~crc;
    while (n >= 8) {
        /* The 4 low bytes of the word absorb the running CRC; byte i then needs 7 - i more
         * bytes of shifting, which is what table 7 - i applies. */
        uint64_t word = load_le64(p) ^ crc;
        crc = crc_table[7][word & 0xFF] ^ crc_table[6][(word >> 8) & 0xFF] ^
              crc_table[5][(word >> 16) & 0xFF] ^ crc_table[4][(word >> 24) & 0xFF] ^
              crc_table[3][(word >> 32) & 0xFF] ^ crc_table[2][(word >> 40) & 0xFF] ^
              crc_table[1][(word >> 48) & 0xFF] ^ crc_table[0][word >> 56];
        p += 8;
        n -= 8;
    }
    while (n--)
        crc = (crc >> 8) ^ crc_table[0][(crc ^ *p++) & 0xFF];
    return ~crc;
}

#ifdef HERON_CRC_SSE42
/* SSE4.2's crc32 instruction computes exactly CRC-32C. Only called after a runtime check. */
__attribute__((target("sse4.2"))) static uint32_t crc32c_sse42(uint32_t crc, const uint8_t *p,
                                                                size_t n)
{
    uint64_t crc64 = ~crc & 0xFFFFFFFFu;
    while (n >= 8) {
        uint64_t word;
        memcpy(&word, p, 8); /* x86 is little-endian */
        crc64 = _mm_crc32_u64(crc64, word);
        p += 8;
        n -= 8;
    }
    uint32_t crc32 = (uint32_t)crc64;
    while (n--)
        crc32 = _mm_crc32_u8(crc32, *p++);
    return ~crc32;
}
#endif

#ifdef HERON_CRC_ARMV8
static uint32_t crc32c_armv8(uint32_t crc, const uint8_t *p, size_t n)
{
    crc = ~crc;
    while (n >= 8) {
        crc = __crc32cd(crc, load_le64(p));
        p += 8;
        n -= 8;
    }
    while (n--)
        crc = __crc32cb(crc, *p++);
    return ~crc;
}
#endif

typedef uint32_t (*crc_function)(uint32_t, const uint8_t *, size_t);
static crc_function crc32c_update = crc32c_table;
static const char *crc32c_implementation = "table";

static void crc_select(void)
{
    crc_table_init();
#ifdef HERON_CRC_SSE42
    __builtin_cpu_init();
    if (__builtin_cpu_supports("sse4.2")) {
        crc32c_update = crc32c_sse42;
        crc32c_implementation = "sse4.2";
    }
#elif defined(HERON_CRC_ARMV8)
    crc32c_update = crc32c_armv8;
    crc32c_implementation = "armv8-crc";
#endif
}

/* The CRC as TFRecord stores it: rotated right by 15 bits, plus a constant (mod 2**32). */
static inline uint32_t masked_crc32c(const uint8_t *p, size_t n)
{
    uint32_t crc = crc32c_update(0, p, n);
    return ((crc >> 15) | (crc << 17)) + MASK_DELTA;
}

/* ------------------------------------------------------------------------------ tag table */

/* scalar_tags, copied (with the GIL) into an open-addressing table that the scan reads without
 * it. Keys point into bytes objects the table holds references to. */
typedef struct {
    const uint8_t *key; /* NULL: empty slot */
    size_t length;
    uint64_t hash;
    int32_t series;
} TagSlot;

typedef struct {
    TagSlot *slots;
    size_t mask;
    PyObject **keys; /* strong references */
    Py_ssize_t n_keys;
} TagTable;

/* The last 1-7 bytes of a short string as one word, with whole loads only: partial copies to
 * the stack would stall the load that follows them. Overlapping bytes are fine for hashing,
 * comparing equal-length strings, and testing high bits. */
static inline uint64_t load_short(const uint8_t *s, size_t n)
{
    if (n >= 4)
        return (uint64_t)load_le32(s) | (uint64_t)load_le32(s + n - 4) << 32;
    if (n > 0)
        return (uint64_t)s[0] | (uint64_t)s[n >> 1] << 8 | (uint64_t)s[n - 1] << 16;
    return 0;
}

static inline uint64_t tag_hash(const uint8_t *s, size_t n)
{
    uint64_t h = 0x9E3779B97F4A7C15u ^ (uint64_t)n;
    size_t i = 0;
    for (; i + 8 < n; i += 8) {
        h = (h ^ load_le64(s + i)) * 0xBF58476D1CE4E5B9u;
        h ^= h >> 31;
    }
    uint64_t last = n >= 8 ? load_le64(s + n - 8) : load_short(s, n);
    h = (h ^ last) * 0x94D049BB133111EBu;
    return h ^ (h >> 29);
}

static inline int same_bytes(const uint8_t *a, const uint8_t *b, size_t n)
{
    if (n < 8)
        return load_short(a, n) == load_short(b, n);
    for (size_t i = 0; i + 8 < n; i += 8)
        if (load_le64(a + i) != load_le64(b + i))
            return 0;
    return load_le64(a + n - 8) == load_le64(b + n - 8);
}

static int tags_insert(TagTable *table, PyObject *key, PyObject *value)
{
    if (!PyBytes_Check(key)) {
        PyErr_Format(PyExc_TypeError, "scalar_tags keys must be bytes, not %.100s",
                     Py_TYPE(key)->tp_name);
        return -1;
    }
    if (!PyLong_Check(value)) {
        PyErr_Format(PyExc_TypeError, "scalar_tags values must be int, not %.100s",
                     Py_TYPE(value)->tp_name);
        return -1;
    }
    int overflow = 0;
    long long series = PyLong_AsLongLongAndOverflow(value, &overflow);
    if (series == -1 && PyErr_Occurred())
        return -1;
    if (overflow || series < INT32_MIN || series > INT32_MAX) {
        PyErr_SetString(PyExc_OverflowError, "series ids must fit in int32");
        return -1;
    }
    Py_INCREF(key);
    table->keys[table->n_keys++] = key;
    const uint8_t *data = (const uint8_t *)PyBytes_AS_STRING(key);
    size_t length = (size_t)PyBytes_GET_SIZE(key);
    uint64_t hash = tag_hash(data, length);
    size_t i = (size_t)hash & table->mask;
    while (table->slots[i].key != NULL) {
        TagSlot *slot = &table->slots[i];
        if (slot->hash == hash && slot->length == length && memcmp(slot->key, data, length) == 0)
            break; /* a repeated key (only from an odd Mapping): the last one wins, as in dict() */
        i = (i + 1) & table->mask;
    }
    table->slots[i] = (TagSlot){data, length, hash, (int32_t)series};
    return 0;
}

static void tags_free(TagTable *table)
{
    for (Py_ssize_t i = 0; i < table->n_keys; i++)
        Py_DECREF(table->keys[i]);
    PyMem_Free(table->keys);
    PyMem_Free(table->slots);
    memset(table, 0, sizeof *table);
}

static int tags_build(TagTable *table, PyObject *mapping)
{
    memset(table, 0, sizeof *table);
    PyObject *items = NULL;
    Py_ssize_t count;
    if (PyDict_CheckExact(mapping)) {
        count = PyDict_GET_SIZE(mapping);
    } else {
        items = PyMapping_Items(mapping);
        if (items == NULL)
            return -1;
        count = PyList_GET_SIZE(items);
    }
    size_t size = 8;
    while (size < (size_t)count * 2)
        size *= 2;
    table->slots = PyMem_Calloc(size, sizeof(TagSlot));
    table->keys = PyMem_Calloc((size_t)count + 1, sizeof(PyObject *));
    if (table->slots == NULL || table->keys == NULL) {
        PyErr_NoMemory();
        goto fail;
    }
    table->mask = size - 1;
    if (items == NULL) {
        /* A plain dict, walked in place: nothing below runs Python code (type checks and
         * reads only, no __index__), so the dict cannot change during the walk. */
        Py_ssize_t pos = 0;
        PyObject *key, *value;
        while (table->n_keys < count && PyDict_Next(mapping, &pos, &key, &value))
            if (tags_insert(table, key, value) < 0)
                goto fail;
    } else {
        for (Py_ssize_t i = 0; i < count; i++) {
            PyObject *pair = PyList_GET_ITEM(items, i);
            if (!PyTuple_Check(pair) || PyTuple_GET_SIZE(pair) != 2) {
                PyErr_SetString(PyExc_TypeError, "scalar_tags.items() must yield pairs");
                goto fail;
            }
            if (tags_insert(table, PyTuple_GET_ITEM(pair, 0), PyTuple_GET_ITEM(pair, 1)) < 0)
                goto fail;
        }
        Py_DECREF(items);
    }
    return 0;
fail:
    Py_XDECREF(items);
    tags_free(table);
    return -1;
}

static inline int tags_lookup(const TagTable *table, const uint8_t *tag, size_t length,
                              int32_t *series)
{
    uint64_t hash = tag_hash(tag, length);
    for (size_t i = (size_t)hash & table->mask;; i = (i + 1) & table->mask) {
        const TagSlot *slot = &table->slots[i];
        if (slot->key == NULL)
            return 0;
        if (slot->hash == hash && slot->length == length && same_bytes(slot->key, tag, length)) {
            *series = slot->series;
            return 1;
        }
    }
}

/* ------------------------------------------------------------------------ wire primitives */
/* Each returns 1 on success and 0 when the bytes are not an ordinary encoding; 0 always ends
 * the fast path for the record. `*p` advances past what was read; `end` is the end of the
 * enclosing message, never of the buffer. */

static inline int read_varint(const uint8_t **p, const uint8_t *end, uint64_t *value)
{
    const uint8_t *q = *p;
    if (q < end && *q < 0x80) { /* one byte: the common case */
        *value = *q;
        *p = q + 1;
        return 1;
    }
    uint64_t result = 0;
    for (int i = 0; i < 10; i++) {
        if (q >= end)
            return 0;
        uint8_t byte = *q++;
        /* The 10th byte holds bit 63 only. protobuf drops higher bits; we leave that to it. */
        if (i == 9 && byte > 1)
            return 0;
        result |= (uint64_t)(byte & 0x7F) << (7 * i);
        if (byte < 0x80) {
            *value = result;
            *p = q;
            return 1;
        }
    }
    return 0;
}

/* A field key: field number << 3 | wire type. protobuf rejects field 0 and keys >= 2**32. */
static inline int read_key(const uint8_t **p, const uint8_t *end, uint32_t *field, uint32_t *wire)
{
    uint64_t key;
    if (!read_varint(p, end, &key) || key > 0xFFFFFFFFu || (key >> 3) == 0)
        return 0;
    *field = (uint32_t)(key >> 3);
    *wire = (uint32_t)(key & 7);
    return 1;
}

/* The body of a length-delimited field (wire type 2). */
static inline int read_len(const uint8_t **p, const uint8_t *end, const uint8_t **body,
                           size_t *length)
{
    uint64_t n;
    if (!read_varint(p, end, &n) || n > (uint64_t)(end - *p))
        return 0;
    *body = *p;
    *length = (size_t)n;
    *p += n;
    return 1;
}

/* Strict UTF-8 (no overlongs, surrogates, or code points above U+10FFFF), as protobuf checks
 * every proto3 `string` field while parsing. */
static int utf8_valid_slow(const uint8_t *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        uint8_t c = s[i];
        if (c < 0x80) {
            i += 1;
        } else if (c < 0xC2) { /* a continuation byte, or an overlong 2-byte form */
            return 0;
        } else if (c < 0xE0) {
            if (n - i < 2 || (s[i + 1] & 0xC0) != 0x80)
                return 0;
            i += 2;
        } else if (c < 0xF0) {
            if (n - i < 3 || (s[i + 1] & 0xC0) != 0x80 || (s[i + 2] & 0xC0) != 0x80)
                return 0;
            if ((c == 0xE0 && s[i + 1] < 0xA0) || (c == 0xED && s[i + 1] >= 0xA0))
                return 0; /* overlong, or a UTF-16 surrogate */
            i += 3;
        } else if (c < 0xF5) {
            if (n - i < 4 || (s[i + 1] & 0xC0) != 0x80 || (s[i + 2] & 0xC0) != 0x80 ||
                (s[i + 3] & 0xC0) != 0x80)
                return 0;
            if ((c == 0xF0 && s[i + 1] < 0x90) || (c == 0xF4 && s[i + 1] >= 0x90))
                return 0; /* overlong, or above U+10FFFF */
            i += 4;
        } else {
            return 0;
        }
    }
    return 1;
}

static inline int utf8_valid(const uint8_t *s, size_t n)
{
    /* Tags are nearly always ASCII: OR the bytes together a word at a time (the last word may
     * overlap the one before) and test the high bits once. */
    uint64_t seen;
    if (n >= 8) {
        seen = load_le64(s + n - 8);
        for (size_t i = 0; i + 8 < n; i += 8)
            seen |= load_le64(s + i);
    } else {
        seen = load_short(s, n);
    }
    return (seen & 0x8080808080808080u) == 0 || utf8_valid_slow(s, n);
}

static inline int read_string(const uint8_t **p, const uint8_t *end, uint32_t wire,
                              const uint8_t **body, size_t *length)
{
    return wire == WT_LEN && read_len(p, end, body, length) && utf8_valid(*body, *length);
}

/* Skips a field this decoder does not know (protobuf keeps those as unknown fields). */
static inline int skip_field(const uint8_t **p, const uint8_t *end, uint32_t wire)
{
    uint64_t ignored;
    const uint8_t *body;
    size_t length;
    switch (wire) {
    case WT_VARINT:
        return read_varint(p, end, &ignored);
    case WT_I64:
        if (end - *p < 8)
            return 0;
        *p += 8;
        return 1;
    case WT_LEN:
        return read_len(p, end, &body, &length);
    case WT_I32:
        if (end - *p < 4)
            return 0;
        *p += 4;
        return 1;
    default: /* groups (3, 4) and the invalid wire types 6, 7 */
        return 0;
    }
}

/* ------------------------------------------------------------ messages read but not used */
/* Fields of these are ignored by the fast path, but the record is only decoded here if protobuf
 * would parse them too: known fields with their declared wire type, strings in valid UTF-8. */

static int check_plugin_data(const uint8_t *p, const uint8_t *end)
{
    while (p < end) {
        uint32_t field, wire;
        const uint8_t *body;
        size_t length;
        if (!read_key(&p, end, &field, &wire))
            return 0;
        if (field == 1) { /* plugin_name: string */
            if (!read_string(&p, end, wire, &body, &length))
                return 0;
        } else if (field == 2) { /* content: bytes */
            if (wire != WT_LEN || !read_len(&p, end, &body, &length))
                return 0;
        } else if (!skip_field(&p, end, wire)) {
            return 0;
        }
    }
    return 1;
}

static int check_summary_metadata(const uint8_t *p, const uint8_t *end)
{
    while (p < end) {
        uint32_t field, wire;
        const uint8_t *body;
        size_t length;
        uint64_t ignored;
        if (!read_key(&p, end, &field, &wire))
            return 0;
        switch (field) {
        case 1: /* plugin_data: PluginData */
            if (wire != WT_LEN || !read_len(&p, end, &body, &length) ||
                !check_plugin_data(body, body + length))
                return 0;
            break;
        case 2: /* display_name */
        case 3: /* summary_description */
            if (!read_string(&p, end, wire, &body, &length))
                return 0;
            break;
        case 4: /* data_class: enum */
            if (wire != WT_VARINT || !read_varint(&p, end, &ignored))
                return 0;
            break;
        default:
            if (!skip_field(&p, end, wire))
                return 0;
        }
    }
    return 1;
}

static int check_source_metadata(const uint8_t *p, const uint8_t *end)
{
    while (p < end) {
        uint32_t field, wire;
        const uint8_t *body;
        size_t length;
        if (!read_key(&p, end, &field, &wire))
            return 0;
        if (field == 1) { /* writer: string */
            if (!read_string(&p, end, wire, &body, &length))
                return 0;
        } else if (!skip_field(&p, end, wire)) {
            return 0;
        }
    }
    return 1;
}

/* ------------------------------------------------------------------------------ TensorProto */

/* A TensorProto as protobuf would hold it after merging every occurrence of Value.tensor:
 * singular fields keep their last value, repeated ones accumulate, shapes concatenate dims. */
typedef struct {
    uint64_t dtype;
    const uint8_t *content;
    size_t content_length;
    uint64_t n_float, n_double; /* elements of float_val / double_val */
    float last_float;           /* their last element: the only one when the count is 1 */
    double last_double;
    int bad_dim;                /* some dim has a size other than 1 */
    int unknown_rank;
} Tensor;

static int parse_dim(Tensor *tensor, const uint8_t *p, const uint8_t *end)
{
    uint64_t size = 0; /* proto3 default: an absent size is 0 */
    while (p < end) {
        uint32_t field, wire;
        const uint8_t *body;
        size_t length;
        if (!read_key(&p, end, &field, &wire))
            return 0;
        if (field == 1) { /* size: int64 */
            if (wire != WT_VARINT || !read_varint(&p, end, &size))
                return 0;
        } else if (field == 2) { /* name: string */
            if (!read_string(&p, end, wire, &body, &length))
                return 0;
        } else if (!skip_field(&p, end, wire)) {
            return 0;
        }
    }
    if (size != 1)
        tensor->bad_dim = 1;
    return 1;
}

static int parse_shape(Tensor *tensor, const uint8_t *p, const uint8_t *end)
{
    while (p < end) {
        uint32_t field, wire;
        const uint8_t *body;
        size_t length;
        uint64_t flag;
        if (!read_key(&p, end, &field, &wire))
            return 0;
        if (field == 2) { /* dim: repeated Dim */
            if (wire != WT_LEN || !read_len(&p, end, &body, &length) ||
                !parse_dim(tensor, body, body + length))
                return 0;
        } else if (field == 3) { /* unknown_rank: bool */
            if (wire != WT_VARINT || !read_varint(&p, end, &flag))
                return 0;
            tensor->unknown_rank = flag != 0;
        } else if (!skip_field(&p, end, wire)) {
            return 0;
        }
    }
    return 1;
}

static int parse_tensor(Tensor *tensor, const uint8_t *p, const uint8_t *end)
{
    while (p < end) {
        uint32_t field, wire;
        const uint8_t *body;
        size_t length;
        uint64_t ignored;
        if (!read_key(&p, end, &field, &wire))
            return 0;
        switch (field) {
        case 1: /* dtype: DataType */
            if (wire != WT_VARINT || !read_varint(&p, end, &tensor->dtype))
                return 0;
            break;
        case 2: /* tensor_shape: TensorShapeProto */
            if (wire != WT_LEN || !read_len(&p, end, &body, &length) ||
                !parse_shape(tensor, body, body + length))
                return 0;
            break;
        case 3: /* version_number: int32 */
            if (wire != WT_VARINT || !read_varint(&p, end, &ignored))
                return 0;
            break;
        case 4: /* tensor_content: bytes; an empty one is the same as none */
            if (wire != WT_LEN || !read_len(&p, end, &tensor->content, &tensor->content_length))
                return 0;
            break;
        case 5: /* float_val: repeated float, packed (wire type 2) or one per key (wire type 5) */
            if (wire == WT_LEN) {
                if (!read_len(&p, end, &body, &length) || length % 4 != 0)
                    return 0;
                if (length) {
                    tensor->n_float += length / 4;
                    tensor->last_float = load_f32(body + length - 4);
                }
            } else if (wire == WT_I32 && end - p >= 4) {
                tensor->n_float += 1;
                tensor->last_float = load_f32(p);
                p += 4;
            } else {
                return 0;
            }
            break;
        case 6: /* double_val: repeated double, packed or one per key (wire type 1) */
            if (wire == WT_LEN) {
                if (!read_len(&p, end, &body, &length) || length % 8 != 0)
                    return 0;
                if (length) {
                    tensor->n_double += length / 8;
                    tensor->last_double = load_f64(body + length - 8);
                }
            } else if (wire == WT_I64 && end - p >= 8) {
                tensor->n_double += 1;
                tensor->last_double = load_f64(p);
                p += 8;
            } else {
                return 0;
            }
            break;
        default:
            /* Fields 7-18 hold other dtypes' values (ints, strings, handles, variants, ...):
             * not a float scalar. Higher numbers are unknown to TensorProto: skipped. */
            if (field <= 18 || !skip_field(&p, end, wire))
                return 0;
        }
    }
    return 1;
}

/* The value of a rank-0 (or all-dims-1) DT_FLOAT / DT_DOUBLE tensor with exactly one element,
 * taken from tensor_content or from the dtype's typed field - never from both. */
static int tensor_value(const Tensor *tensor, double *value)
{
    if (tensor->bad_dim || tensor->unknown_rank)
        return 0;
    /* DataType is an int32 enum: protobuf keeps the low 32 bits of the varint. */
    uint32_t dtype = (uint32_t)tensor->dtype;
    if (dtype == DT_FLOAT) {
        if (tensor->content_length) {
            if (tensor->content_length != 4 || tensor->n_float || tensor->n_double)
                return 0;
            *value = (double)load_f32(tensor->content);
        } else {
            if (tensor->n_float != 1 || tensor->n_double)
                return 0;
            *value = (double)tensor->last_float;
        }
        return 1;
    }
    if (dtype == DT_DOUBLE) {
        if (tensor->content_length) {
            if (tensor->content_length != 8 || tensor->n_float || tensor->n_double)
                return 0;
            *value = load_f64(tensor->content);
        } else {
            if (tensor->n_double != 1 || tensor->n_float)
                return 0;
            *value = tensor->last_double;
        }
        return 1;
    }
    return 0;
}

/* ------------------------------------------------------------------------ Event / Summary */

typedef struct {
    TagTable tags;
    /* Output columns, `capacity` rows each. */
    int32_t *series;
    int64_t *steps;
    double *wall_times;
    double *values;
    int64_t *offsets;
    int32_t *value_index;
    Py_ssize_t capacity;
    Py_ssize_t n; /* rows committed */
    Py_ssize_t k; /* points of the record being decoded, written from row n on */
} Scanner;

enum { KIND_NONE = 0, KIND_SIMPLE = 1, KIND_TENSOR = 2 };

static int parse_value(Scanner *scanner, const uint8_t *p, const uint8_t *end)
{
    const uint8_t *tag = NULL, *node_name = NULL;
    size_t tag_length = 0, node_name_length = 0;
    int kind = KIND_NONE;
    float simple = 0.0f;
    Tensor tensor;
    memset(&tensor, 0, sizeof tensor);
    while (p < end) {
        uint32_t field, wire;
        const uint8_t *body;
        size_t length;
        if (!read_key(&p, end, &field, &wire))
            return 0;
        switch (field) {
        case 1: /* tag: string */
            if (!read_string(&p, end, wire, &tag, &tag_length))
                return 0;
            break;
        case 7: /* node_name: string, the tag of very old writers */
            if (!read_string(&p, end, wire, &node_name, &node_name_length))
                return 0;
            break;
        case 2: /* simple_value: float, member of the oneof `value` */
            if (wire != WT_I32 || end - p < 4 || kind == KIND_TENSOR)
                return 0;
            simple = load_f32(p);
            p += 4;
            kind = KIND_SIMPLE;
            break;
        case 8: /* tensor: TensorProto, member of the oneof; repeated occurrences merge */
            if (wire != WT_LEN || kind == KIND_SIMPLE || !read_len(&p, end, &body, &length) ||
                !parse_tensor(&tensor, body, body + length))
                return 0;
            kind = KIND_TENSOR;
            break;
        case 9: /* metadata: ignored (a known tag keeps its first metadata), but must parse */
            if (wire != WT_LEN || !read_len(&p, end, &body, &length) ||
                !check_summary_metadata(body, body + length))
                return 0;
            break;
        case 3: /* obsolete_old_style_histogram */
        case 4: /* image */
        case 5: /* histo */
        case 6: /* audio */
            return 0;
        default:
            if (!skip_field(&p, end, wire))
                return 0;
        }
    }
    double value;
    if (kind == KIND_SIMPLE)
        value = (double)simple; /* float32 -> float64 is exact */
    else if (kind != KIND_TENSOR || !tensor_value(&tensor, &value))
        return 0;
    if (tag_length == 0) { /* TensorBoard uses node_name when tag is empty */
        tag = node_name;
        tag_length = node_name_length;
    }
    int32_t series;
    if (!tags_lookup(&scanner->tags, tag ? tag : (const uint8_t *)"", tag_length, &series))
        return 0;
    Py_ssize_t row = scanner->n + scanner->k;
    if (row < scanner->capacity) {
        scanner->series[row] = series;
        scanner->values[row] = value;
        scanner->value_index[row] = (int32_t)scanner->k;
    }
    scanner->k += 1;
    return 1;
}

static int parse_summary(Scanner *scanner, const uint8_t *p, const uint8_t *end)
{
    while (p < end) {
        uint32_t field, wire;
        const uint8_t *body;
        size_t length;
        if (!read_key(&p, end, &field, &wire))
            return 0;
        if (field == 1) { /* value: repeated Value */
            if (wire != WT_LEN || !read_len(&p, end, &body, &length) ||
                !parse_value(scanner, body, body + length))
                return 0;
        } else if (!skip_field(&p, end, wire)) {
            return 0;
        }
    }
    return 1;
}

/* Decodes one Event payload; 1 if every value is a plain scalar of a known tag (at least one).
 * Points are written from row scanner->n on; scanner->k counts them. */
static int parse_event(Scanner *scanner, const uint8_t *p, const uint8_t *end, int64_t *step,
                       double *wall_time)
{
    int has_summary = 0;
    scanner->k = 0;
    *step = 0;
    *wall_time = 0.0;
    while (p < end) {
        uint32_t field, wire;
        const uint8_t *body;
        size_t length;
        uint64_t varint;
        if (!read_key(&p, end, &field, &wire))
            return 0;
        switch (field) {
        case 1: /* wall_time: double (last occurrence wins) */
            if (wire != WT_I64 || end - p < 8)
                return 0;
            *wall_time = load_f64(p);
            p += 8;
            break;
        case 2: /* step: int64 */
            if (wire != WT_VARINT || !read_varint(&p, end, &varint))
                return 0;
            *step = (int64_t)varint; /* two's complement, as protobuf reads int64 */
            break;
        case 5: /* summary: Summary, member of the oneof `what`; repeated occurrences merge */
            if (wire != WT_LEN || !read_len(&p, end, &body, &length) ||
                !parse_summary(scanner, body, body + length))
                return 0;
            has_summary = 1;
            break;
        case 10: /* source_metadata: SourceMetadata */
            if (wire != WT_LEN || !read_len(&p, end, &body, &length) ||
                !check_source_metadata(body, body + length))
                return 0;
            break;
        case 3: /* file_version */
        case 4: /* graph_def */
        case 6: /* log_message */
        case 7: /* session_log */
        case 8: /* tagged_run_metadata */
        case 9: /* meta_graph_def */
            return 0;
        default:
            if (!skip_field(&p, end, wire))
                return 0;
        }
    }
    return has_summary && scanner->k > 0;
}

/* --------------------------------------------------------------------------- record loop */

typedef struct {
    int64_t offset;
    int64_t length;
} Corruption;

typedef struct {
    Py_ssize_t resume;
    int reason;
    Py_ssize_t records;
    Py_ssize_t residual_at; /* -1: none */
    size_t residual_length;
    Py_ssize_t framing_at; /* -1: none */
    Corruption *corruptions;
    size_t n_corruptions, corruptions_capacity;
    int no_memory;
} Outcome;

/* Runs without the GIL: touches only the buffer, the scanner and the outcome. */
static void scan_records(Scanner *scanner, const uint8_t *buffer, Py_ssize_t start,
                         Py_ssize_t end, int64_t base_offset, Py_ssize_t max_points,
                         Outcome *out)
{
    Py_ssize_t pos = start;
    for (;;) {
        Py_ssize_t available = end - pos;
        if (available == 0) {
            out->reason = REASON_END;
            break;
        }
        if (available < HEADER_SIZE) {
            out->reason = REASON_INCOMPLETE;
            break;
        }
        const uint8_t *record = buffer + pos;
        uint64_t length = load_le64(record);
        if (masked_crc32c(record, 8) != load_le32(record + 8)) {
            out->framing_at = pos;
            out->reason = REASON_FRAMING;
            break;
        }
        /* The length is trustworthy now, but the record may not be all here yet. */
        if (available < HEADER_SIZE + FOOTER_SIZE ||
            length > (uint64_t)(available - HEADER_SIZE - FOOTER_SIZE)) {
            out->reason = REASON_INCOMPLETE;
            break;
        }
        const uint8_t *payload = record + HEADER_SIZE;
        Py_ssize_t next = pos + HEADER_SIZE + (Py_ssize_t)length + FOOTER_SIZE;
        if (masked_crc32c(payload, (size_t)length) != load_le32(payload + length)) {
            if (out->n_corruptions == out->corruptions_capacity) {
                size_t capacity = out->corruptions_capacity ? out->corruptions_capacity * 2 : 16;
                Corruption *grown =
                    PyMem_RawRealloc(out->corruptions, capacity * sizeof(Corruption));
                if (grown == NULL) {
                    out->no_memory = 1;
                    break;
                }
                out->corruptions = grown;
                out->corruptions_capacity = capacity;
            }
            out->corruptions[out->n_corruptions++] =
                (Corruption){base_offset + pos, (int64_t)length};
            out->records += 1;
            pos = next;
            continue;
        }
        int64_t step;
        double wall_time;
        if (parse_event(scanner, payload, payload + length, &step, &wall_time)) {
            Py_ssize_t rows = scanner->n + scanner->k;
            if (rows <= max_points && rows <= scanner->capacity) {
                for (Py_ssize_t row = scanner->n; row < rows; row++) {
                    scanner->steps[row] = step;
                    scanner->wall_times[row] = wall_time;
                    scanner->offsets[row] = base_offset + pos;
                }
                scanner->n = rows;
                out->records += 1;
                pos = next;
                continue;
            }
            if (scanner->n > 0) {
                out->reason = REASON_LIMIT; /* resume at this record */
                break;
            }
            /* More values than max_points in one record: Python takes it as a residual. */
        }
        out->residual_at = pos;
        out->residual_length = (size_t)length;
        out->records += 1;
        out->reason = REASON_RESIDUAL;
        pos = next;
        break;
    }
    out->resume = pos;
}

/* ---------------------------------------------------------------------- Python functions */

/* Output columns. A scan writes its points into fresh memory, and on Linux fresh memory means
 * a page fault and a zeroed page per 4 KiB - a quarter of the scan's time when every batch
 * gets new blocks from malloc, which returns large blocks to the system on free. So columns
 * are Column objects (read-only buffers) whose blocks go back to a small pool when the last
 * array using them is freed, and the next scan reuses them warm. The pool is only touched
 * with the GIL held: in py_scan before the GIL is released, and in column_dealloc. */

#define POOL_SLOTS 32
#define POOL_BYTES ((size_t)48 << 20)
/* Small scans (a tail of a few records) still take blocks worth keeping. */
#define MIN_BLOCK ((size_t)64 << 10)

typedef struct {
    char *data;
    size_t capacity;
} Block;

static Block pool[POOL_SLOTS];
static int pool_count;
static size_t pool_bytes;

static char *block_take(size_t size, size_t *capacity)
{
    int best = -1;
    for (int i = 0; i < pool_count; i++)
        if (pool[i].capacity >= size && (best < 0 || pool[i].capacity < pool[best].capacity))
            best = i;
    if (best >= 0) {
        char *data = pool[best].data;
        *capacity = pool[best].capacity;
        pool_bytes -= pool[best].capacity;
        pool[best] = pool[--pool_count];
        return data;
    }
    *capacity = size > MIN_BLOCK ? size : MIN_BLOCK;
    return PyMem_RawMalloc(*capacity);
}

/* Keeps a freed block if there is room, else in place of the pool's smallest one if it is
 * larger, so that the pool holds the big blocks large scans need. */
static void block_give(char *data, size_t capacity)
{
    if (data == NULL)
        return;
    if (pool_count < POOL_SLOTS && pool_bytes + capacity <= POOL_BYTES) {
        pool[pool_count++] = (Block){data, capacity};
        pool_bytes += capacity;
        return;
    }
    int smallest = -1;
    for (int i = 0; i < pool_count; i++)
        if (smallest < 0 || pool[i].capacity < pool[smallest].capacity)
            smallest = i;
    if (smallest >= 0 && pool[smallest].capacity < capacity &&
        pool_bytes - pool[smallest].capacity + capacity <= POOL_BYTES) {
        PyMem_RawFree(pool[smallest].data);
        pool_bytes += capacity - pool[smallest].capacity;
        pool[smallest] = (Block){data, capacity};
        return;
    }
    PyMem_RawFree(data);
}

typedef struct {
    PyObject_HEAD
    char *data;
    Py_ssize_t length; /* bytes exposed: rows * item size */
    size_t capacity;   /* bytes of the block */
} Column;

static int column_getbuffer(PyObject *self, Py_buffer *view, int flags)
{
    Column *column = (Column *)self;
    return PyBuffer_FillInfo(view, self, column->data, column->length, 1, flags);
}

static void column_dealloc(PyObject *self)
{
    Column *column = (Column *)self;
    block_give(column->data, column->capacity);
    Py_TYPE(self)->tp_free(self);
}

static PyBufferProcs column_buffer = {column_getbuffer, NULL};

static PyTypeObject ColumnType = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "heron.formats._scan.Column",
    .tp_basicsize = sizeof(Column),
    .tp_dealloc = column_dealloc,
    .tp_as_buffer = &column_buffer,
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "Read-only bytes of one output column of scan() (native-endian items).",
};

static PyObject *new_column(Py_ssize_t rows, size_t item_size, void **data)
{
    Column *column = PyObject_New(Column, &ColumnType);
    if (column == NULL)
        return NULL;
    column->data = block_take((size_t)rows * item_size, &column->capacity);
    column->length = 0;
    if (column->data == NULL) {
        column->capacity = 0;
        Py_DECREF(column);
        return PyErr_NoMemory();
    }
    *data = column->data;
    return (PyObject *)column;
}

PyDoc_STRVAR(scan_doc,
             "scan(buffer, start, end, base_offset, scalar_tags, max_points)\n--\n\n"
             "Scan the records of buffer[start:end]; heron.formats.scan wraps the result.\n\n"
             "Returns (series, steps, wall_times, values, offsets, value_index, resume, reason,\n"
             "residual_offset, residual_payload, corruptions, records, framing_offset): six\n"
             "Column buffers of native int32/int64/float64 items, then the stop position\n"
             "and reason code, the residual record (or None, None), a list of (offset, length)\n"
             "of records with a bad payload CRC, the count of records consumed, and the offset\n"
             "of a record whose length CRC failed (or None).");

static PyObject *py_scan(PyObject *module, PyObject *args, PyObject *kwargs)
{
    (void)module;
    static char *keywords[] = {"buffer", "start", "end", "base_offset", "scalar_tags",
                               "max_points", NULL};
    PyObject *buffer_object, *mapping;
    Py_ssize_t start, end, max_points;
    long long base_offset;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "OnnLOn:scan", keywords, &buffer_object,
                                     &start, &end, &base_offset, &mapping, &max_points))
        return NULL;
    Py_buffer view;
    if (PyObject_GetBuffer(buffer_object, &view, PyBUF_SIMPLE) < 0)
        return NULL;
    PyObject *columns[6] = {NULL, NULL, NULL, NULL, NULL, NULL};
    PyObject *result = NULL, *corruptions = NULL;
    PyObject *residual_payload = NULL, *residual_offset = NULL, *framing_offset = NULL;
    Scanner scanner;
    memset(&scanner, 0, sizeof scanner);
    Outcome out;
    memset(&out, 0, sizeof out);
    out.residual_at = -1;
    out.framing_at = -1;

    if (start < 0 || start > end || end > view.len) {
        PyErr_Format(PyExc_ValueError, "need 0 <= start <= end <= %zd, got start=%zd end=%zd",
                     view.len, start, end);
        goto done;
    }
    if (base_offset < 0) {
        PyErr_SetString(PyExc_ValueError, "base_offset must be >= 0");
        goto done;
    }
    if (max_points < 1) {
        PyErr_SetString(PyExc_ValueError, "max_points must be >= 1");
        goto done;
    }
    if (tags_build(&scanner.tags, mapping) < 0)
        goto done;

    Py_ssize_t capacity = (end - start) / MIN_POINT_BYTES + 1;
    if (capacity > max_points)
        capacity = max_points;
    if (capacity > PY_SSIZE_T_MAX / 8)
        capacity = PY_SSIZE_T_MAX / 8;
    scanner.capacity = capacity;
    static const size_t item_sizes[6] = {4, 8, 8, 8, 8, 4};
    void *data[6];
    for (int i = 0; i < 6; i++) {
        columns[i] = new_column(capacity, item_sizes[i], &data[i]);
        if (columns[i] == NULL)
            goto done;
    }
    scanner.series = data[0];
    scanner.steps = data[1];
    scanner.wall_times = data[2];
    scanner.values = data[3];
    scanner.offsets = data[4];
    scanner.value_index = data[5];

    Py_BEGIN_ALLOW_THREADS
    scan_records(&scanner, (const uint8_t *)view.buf, start, end, (int64_t)base_offset,
                 max_points, &out);
    Py_END_ALLOW_THREADS

    if (out.no_memory) {
        PyErr_NoMemory();
        goto done;
    }
    for (int i = 0; i < 6; i++)
        ((Column *)columns[i])->length = scanner.n * (Py_ssize_t)item_sizes[i];
    corruptions = PyList_New((Py_ssize_t)out.n_corruptions);
    if (corruptions == NULL)
        goto done;
    for (size_t i = 0; i < out.n_corruptions; i++) {
        PyObject *pair = Py_BuildValue("(LL)", (long long)out.corruptions[i].offset,
                                       (long long)out.corruptions[i].length);
        if (pair == NULL)
            goto done;
        PyList_SET_ITEM(corruptions, (Py_ssize_t)i, pair);
    }
    if (out.residual_at >= 0) {
        residual_payload = PyBytes_FromStringAndSize(
            (const char *)view.buf + out.residual_at + HEADER_SIZE,
            (Py_ssize_t)out.residual_length);
        residual_offset = PyLong_FromLongLong(base_offset + out.residual_at);
    } else {
        residual_payload = Py_NewRef(Py_None);
        residual_offset = Py_NewRef(Py_None);
    }
    framing_offset = out.framing_at >= 0 ? PyLong_FromLongLong(base_offset + out.framing_at)
                                         : Py_NewRef(Py_None);
    if (residual_payload == NULL || residual_offset == NULL || framing_offset == NULL)
        goto done;
    result = Py_BuildValue("(OOOOOOniOOOnO)", columns[0], columns[1], columns[2], columns[3],
                           columns[4], columns[5], out.resume, out.reason, residual_offset,
                           residual_payload, corruptions, out.records, framing_offset);
done:
    for (int i = 0; i < 6; i++)
        Py_XDECREF(columns[i]);
    Py_XDECREF(corruptions);
    Py_XDECREF(residual_payload);
    Py_XDECREF(residual_offset);
    Py_XDECREF(framing_offset);
    PyMem_RawFree(out.corruptions);
    if (scanner.tags.slots != NULL)
        tags_free(&scanner.tags);
    PyBuffer_Release(&view);
    return result;
}

static PyObject *crc_call(PyObject *args, const char *format, crc_function function)
{
    Py_buffer data;
    unsigned int crc = 0;
    if (!PyArg_ParseTuple(args, format, &data, &crc))
        return NULL;
    uint32_t value;
    Py_BEGIN_ALLOW_THREADS
    value = function(crc, (const uint8_t *)data.buf, (size_t)data.len);
    Py_END_ALLOW_THREADS
    PyBuffer_Release(&data);
    return PyLong_FromUnsignedLong(value);
}

static PyObject *py_crc32c(PyObject *module, PyObject *args)
{
    (void)module;
    return crc_call(args, "y*|I:crc32c", crc32c_update);
}

static PyObject *py_crc32c_table(PyObject *module, PyObject *args)
{
    (void)module;
    return crc_call(args, "y*|I:crc32c_table", crc32c_table);
}

static PyMethodDef methods[] = {
    {"scan", (PyCFunction)(void (*)(void))py_scan, METH_VARARGS | METH_KEYWORDS, scan_doc},
    {"crc32c", py_crc32c, METH_VARARGS,
     "crc32c(data, crc=0)\n--\n\nCRC-32C of data, continuing from crc (hardware when available)."},
    {"crc32c_table", py_crc32c_table, METH_VARARGS,
     "crc32c_table(data, crc=0)\n--\n\nCRC-32C with the portable slicing-by-8 tables."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module_def = {
    PyModuleDef_HEAD_INIT,
    "heron.formats._scan",
    "Compiled TFRecord / Event scanner: the hot path of heron.formats.scan.",
    -1,
    methods,
    NULL,
    NULL,
    NULL,
    NULL,
};

PyMODINIT_FUNC PyInit__scan(void)
{
    crc_select();
    if (PyType_Ready(&ColumnType) < 0)
        return NULL;
    PyObject *module = PyModule_Create(&module_def);
    if (module == NULL)
        return NULL;
    Py_INCREF(&ColumnType);
    if (PyModule_AddObject(module, "Column", (PyObject *)&ColumnType) < 0) {
        Py_DECREF(&ColumnType);
        Py_DECREF(module);
        return NULL;
    }
    if (PyModule_AddStringConstant(module, "CRC32C_IMPLEMENTATION", crc32c_implementation) < 0 ||
        PyModule_AddIntConstant(module, "MIN_POINT_BYTES", MIN_POINT_BYTES) < 0) {
        Py_DECREF(module);
        return NULL;
    }
    return module;
}
