#include "jsonview.h"

#include <QStringDecoder>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>
#include <limits>

namespace inkroom::proto::json {

namespace {
constexpr int kMaxDepth = 64;
constexpr qint32 kMaxMembers = 64;
constexpr int kMaxIntegerDigits = 18; // always fits in a qint64

bool isNonCharacter(char32_t c)
{
    return (c >= 0xfdd0 && c <= 0xfdef) || (c & 0xfffe) == 0xfffe;
}

//! Length of the valid UTF-8 sequence at p (a lead byte >= 0x80), or 0. Refuses overlong forms, surrogates,
//! code points above U+10FFFF and noncharacters.
int utf8Sequence(const uchar *p, const uchar *end)
{
    const uchar b0 = p[0];
    int length = 0;
    char32_t c = 0;
    if (b0 >= 0xc2 && b0 <= 0xdf) {
        length = 2;
        c = b0 & 0x1f;
    } else if (b0 >= 0xe0 && b0 <= 0xef) {
        length = 3;
        c = b0 & 0x0f;
    } else if (b0 >= 0xf0 && b0 <= 0xf4) {
        length = 4;
        c = b0 & 0x07;
    } else {
        return 0;
    }
    if (end - p < length)
        return 0;
    for (int i = 1; i < length; ++i) {
        if ((p[i] & 0xc0) != 0x80)
            return 0;
        c = (c << 6) | (p[i] & 0x3f);
    }
    if ((length == 3 && c < 0x800) || (length == 4 && (c < 0x10000 || c > 0x10ffff)))
        return 0;
    if ((c >= 0xd800 && c <= 0xdfff) || isNonCharacter(c))
        return 0;
    return length;
}

int hexDigit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

bool readHex4(const char *p, const char *end, char32_t *out)
{
    if (end - p < 4)
        return false;
    char32_t value = 0;
    for (int i = 0; i < 4; ++i) {
        const int d = hexDigit(p[i]);
        if (d < 0)
            return false;
        value = (value << 4) | char32_t(d);
    }
    *out = value;
    return true;
}

void appendUtf8(QByteArray &out, char32_t c)
{
    if (c < 0x80) {
        out.append(char(c));
    } else if (c < 0x800) {
        out.append(char(0xc0 | (c >> 6)));
        out.append(char(0x80 | (c & 0x3f)));
    } else if (c < 0x10000) {
        out.append(char(0xe0 | (c >> 12)));
        out.append(char(0x80 | ((c >> 6) & 0x3f)));
        out.append(char(0x80 | (c & 0x3f)));
    } else {
        out.append(char(0xf0 | (c >> 18)));
        out.append(char(0x80 | ((c >> 12) & 0x3f)));
        out.append(char(0x80 | ((c >> 6) & 0x3f)));
        out.append(char(0x80 | (c & 0x3f)));
    }
}

} // namespace

// ------------------------------------------------------------------------------------------------ Value

bool Value::isNull() const
{
    return m_index >= 0 && m_document->m_nodes[size_t(m_index)].type == Document::Type::Null;
}

bool Value::isBool() const
{
    if (m_index < 0)
        return false;
    const auto type = m_document->m_nodes[size_t(m_index)].type;
    return type == Document::Type::True || type == Document::Type::False;
}

bool Value::toBool() const
{
    return m_index >= 0 && m_document->m_nodes[size_t(m_index)].type == Document::Type::True;
}

QString Value::toString() const
{
    if (!isString())
        return {};
    const Document::Node &node = m_document->m_nodes[size_t(m_index)];
    if (!node.escaped)
        return QString::fromLatin1(m_document->m_bytes.data() + node.text.begin, node.text.length);
    return m_document->decodeString(node);
}

Value Value::value(QLatin1StringView key) const
{
    if (!isObject())
        return {};
    const Document::Node &node = m_document->m_nodes[size_t(m_index)];
    const char *bytes = m_document->m_bytes.data();
    for (qint32 i = 0; i < node.children.count; ++i) {
        const qint32 child = m_document->m_children[size_t(node.children.first + i)];
        const Document::Node &member = m_document->m_nodes[size_t(child)];
        if (member.keyLength == key.size() && std::memcmp(bytes + member.keyBegin, key.data(), size_t(key.size())) == 0)
            return Value(m_document, child);
    }
    return {};
}

// ------------------------------------------------------------------------------------------------ Document

bool Document::parse(QByteArrayView bytes)
{
    m_nodes.clear();
    m_children.clear();
    m_stack.clear();
    m_bytes = bytes;
    m_at = 0;
    if (bytes.size() > std::numeric_limits<qint32>::max() / 2)
        return false;
    m_nodes.reserve(size_t(std::min<qsizetype>(bytes.size() / 8 + 4, 1 << 20)));
    skipSpace();
    if (m_at >= m_bytes.size() || m_bytes[m_at] != '{')
        return false;
    if (!parseValue(0))
        return false;
    skipSpace();
    return m_at == m_bytes.size();
}

void Document::trim()
{
    constexpr size_t kKeep = 16 * 1024; // nodes: enough for a large stroke
    m_bytes = {};
    m_nodes.clear();
    m_children.clear();
    m_stack.clear();
    if (m_nodes.capacity() > kKeep)
        std::vector<Node>().swap(m_nodes);
    if (m_children.capacity() > kKeep)
        std::vector<qint32>().swap(m_children);
    if (m_stack.capacity() > kKeep)
        std::vector<qint32>().swap(m_stack);
}

void Document::skipSpace()
{
    while (m_at < m_bytes.size()) {
        const char c = m_bytes[m_at];
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
            return;
        ++m_at;
    }
}

bool Document::parseValue(int depth)
{
    skipSpace();
    if (m_at >= m_bytes.size())
        return false;
    const char c = m_bytes[m_at];
    const auto index = qint32(m_nodes.size());
    m_nodes.emplace_back();
    const auto literal = [this](const char *word, qsizetype length) {
        if (m_bytes.size() - m_at < length || std::memcmp(m_bytes.data() + m_at, word, size_t(length)) != 0)
            return false;
        m_at += length;
        return true;
    };
    switch (c) {
    case '{':
    case '[': {
        if (depth >= kMaxDepth)
            return false;
        const bool object = c == '{';
        m_nodes[size_t(index)].type = object ? Type::Object : Type::Array;
        ++m_at;
        const size_t base = m_stack.size();
        skipSpace();
        const char close = object ? '}' : ']';
        if (m_at < m_bytes.size() && m_bytes[m_at] == close) {
            ++m_at;
        } else {
            for (;;) {
                qint32 keyBegin = 0;
                qint32 keyLength = 0;
                if (object) {
                    skipSpace();
                    bool escaped = false;
                    if (m_at >= m_bytes.size() || m_bytes[m_at] != '"' || !parseString(&keyBegin, &keyLength, &escaped))
                        return false;
                    if (escaped && std::memchr(m_bytes.data() + keyBegin, '\\', size_t(keyLength)))
                        return false; // escaped keys: QJsonDocument decides
                    // Distinct keys only: which of two equal keys counts is QJsonDocument's to decide.
                    if (qint32(m_stack.size() - base) >= kMaxMembers)
                        return false;
                    for (size_t i = base; i < m_stack.size(); ++i) {
                        const Node &other = m_nodes[size_t(m_stack[i])];
                        if (other.keyLength == keyLength
                            && std::memcmp(m_bytes.data() + other.keyBegin, m_bytes.data() + keyBegin,
                                           size_t(keyLength))
                                == 0)
                            return false;
                    }
                    skipSpace();
                    if (m_at >= m_bytes.size() || m_bytes[m_at] != ':')
                        return false;
                    ++m_at;
                }
                const auto child = qint32(m_nodes.size());
                if (!parseValue(depth + 1))
                    return false;
                m_nodes[size_t(child)].keyBegin = keyBegin;
                m_nodes[size_t(child)].keyLength = keyLength;
                m_stack.push_back(child);
                skipSpace();
                if (m_at >= m_bytes.size())
                    return false;
                const char next = m_bytes[m_at++];
                if (next == close)
                    break;
                if (next != ',')
                    return false;
            }
        }
        Node &node = m_nodes[size_t(index)];
        node.children.first = qint32(m_children.size());
        node.children.count = qint32(m_stack.size() - base);
        m_children.insert(m_children.end(), m_stack.begin() + qsizetype(base), m_stack.end());
        m_stack.resize(base);
        return true;
    }
    case '"': {
        qint32 begin = 0;
        qint32 length = 0;
        bool escaped = false;
        if (!parseString(&begin, &length, &escaped))
            return false;
        Node &node = m_nodes[size_t(index)];
        node.type = Type::String;
        node.escaped = escaped;
        node.text.begin = begin;
        node.text.length = length;
        return true;
    }
    case 't':
        m_nodes[size_t(index)].type = Type::True;
        return literal("true", 4);
    case 'f':
        m_nodes[size_t(index)].type = Type::False;
        return literal("false", 5);
    case 'n':
        m_nodes[size_t(index)].type = Type::Null;
        return literal("null", 4);
    default: {
        double number = 0;
        if (!parseNumber(&number))
            return false;
        Node &node = m_nodes[size_t(index)];
        node.type = Type::Number;
        node.number = number;
        return true;
    }
    }
}

bool Document::parseString(qint32 *begin, qint32 *length, bool *escaped)
{
    // At the opening quote.
    ++m_at;
    const auto *data = reinterpret_cast<const uchar *>(m_bytes.data());
    const uchar *end = data + m_bytes.size();
    const uchar *p = data + m_at;
    *escaped = false;
    while (p < end) {
        const uchar c = *p;
        if (c == '"') {
            *begin = qint32(m_at);
            *length = qint32(p - (data + m_at));
            m_at = p - data + 1;
            return true;
        }
        if (c < 0x20 || c == 0x7f)
            return false;
        if (c == '\\') {
            *escaped = true;
            if (end - p < 2)
                return false;
            const char e = char(p[1]);
            if (e == 'u') {
                char32_t unit = 0;
                if (!readHex4(reinterpret_cast<const char *>(p + 2), reinterpret_cast<const char *>(end), &unit))
                    return false;
                p += 6;
                if (unit >= 0xdc00 && unit <= 0xdfff)
                    return false; // a lone low surrogate
                if (unit >= 0xd800 && unit <= 0xdbff) {
                    char32_t low = 0;
                    if (end - p < 2 || p[0] != '\\' || p[1] != 'u'
                        || !readHex4(reinterpret_cast<const char *>(p + 2), reinterpret_cast<const char *>(end), &low)
                        || low < 0xdc00 || low > 0xdfff)
                        return false;
                    p += 6;
                    unit = 0x10000 + ((unit - 0xd800) << 10) + (low - 0xdc00);
                }
                if (isNonCharacter(unit))
                    return false;
                continue;
            }
            if (e != '"' && e != '\\' && e != '/' && e != 'b' && e != 'f' && e != 'n' && e != 'r' && e != 't')
                return false;
            p += 2;
            continue;
        }
        if (c >= 0x80) {
            const int n = utf8Sequence(p, end);
            if (n == 0)
                return false;
            *escaped = true;
            p += n;
            continue;
        }
        ++p;
    }
    return false;
}

bool Document::parseNumber(double *number)
{
    const char *data = m_bytes.data();
    const qsizetype size = m_bytes.size();
    const qsizetype start = m_at;
    qsizetype at = m_at;
    const bool negative = at < size && data[at] == '-';
    if (negative)
        ++at;
    if (at >= size || data[at] < '0' || data[at] > '9')
        return false;
    // The digits as one integer (while it fits), for the exact fast paths below.
    quint64 mantissa = 0;
    int digits = 0;
    const auto digit = [&mantissa, &digits](char c) {
        if (digits < 19) {
            mantissa = mantissa * 10 + quint64(c - '0');
            if (mantissa != 0)
                ++digits;
        } else {
            digits = 99; // too many to be exact here
        }
    };
    const qsizetype digitsStart = at;
    if (data[at] == '0') {
        ++at;
    } else {
        while (at < size && data[at] >= '0' && data[at] <= '9')
            digit(data[at++]);
    }
    const qsizetype integerDigits = at - digitsStart;
    bool isInteger = true;
    int exponent10 = 0;
    if (at < size && data[at] == '.') {
        isInteger = false;
        ++at;
        const qsizetype fractionStart = at;
        while (at < size && data[at] >= '0' && data[at] <= '9')
            digit(data[at++]);
        if (at == fractionStart)
            return false;
        exponent10 = -int(std::min<qsizetype>(at - fractionStart, 1000));
    }
    if (at < size && (data[at] == 'e' || data[at] == 'E')) {
        isInteger = false;
        ++at;
        bool negativeExponent = false;
        if (at < size && (data[at] == '+' || data[at] == '-'))
            negativeExponent = data[at++] == '-';
        const qsizetype exponentStart = at;
        int exponent = 0;
        while (at < size && data[at] >= '0' && data[at] <= '9') {
            exponent = std::min(exponent * 10 + (data[at] - '0'), 100000);
            ++at;
        }
        if (at == exponentStart)
            return false;
        exponent10 += negativeExponent ? -exponent : exponent;
    }
    m_at = at;
    if (isInteger) {
        // QJsonDocument keeps a whole number that fits in 64 bits as an integer: "-0" is 0.
        if (integerDigits > kMaxIntegerDigits)
            return false;
        qint64 value = 0;
        for (qsizetype i = digitsStart; i < at; ++i)
            value = value * 10 + (data[i] - '0');
        *number = double(negative ? -value : value);
        return true;
    }
    // Exact when the digits and the power of ten are both exact doubles: one correctly rounded operation (what
    // strtod, std::from_chars and QByteArray::toDouble give too). Coordinates like 123.25 all take this path.
    static constexpr double kPowers[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
                                         1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
    if (digits <= 19 && mantissa <= (quint64(1) << 53) && exponent10 >= -22 && exponent10 <= 22) {
        const double m = double(mantissa);
        const double value = exponent10 < 0 ? m / kPowers[-exponent10] : m * kPowers[exponent10];
        *number = negative ? -value : value;
        return true;
    }
    double value = 0;
    const auto result = std::from_chars(data + start, data + at, value);
    if (result.ec != std::errc() || result.ptr != data + at)
        return false;
    // Overflow, underflow and subnormal numbers: QJsonDocument decides.
    if (!std::isfinite(value) || (value != 0 && !std::isnormal(value)))
        return false;
    *number = value;
    return true;
}

QString Document::decodeString(const Node &node) const
{
    const char *p = m_bytes.data() + node.text.begin;
    const char *end = p + node.text.length;
    QByteArray utf8;
    utf8.reserve(node.text.length);
    bool escapes = false;
    while (p < end) {
        const char c = *p;
        if (c != '\\') {
            utf8.append(c);
            ++p;
            continue;
        }
        escapes = true;
        const char e = p[1];
        p += 2;
        switch (e) {
        case 'b':
            utf8.append('\b');
            break;
        case 'f':
            utf8.append('\f');
            break;
        case 'n':
            utf8.append('\n');
            break;
        case 'r':
            utf8.append('\r');
            break;
        case 't':
            utf8.append('\t');
            break;
        case 'u': {
            char32_t unit = 0;
            readHex4(p, end, &unit);
            p += 4;
            if (unit >= 0xd800 && unit <= 0xdbff) {
                char32_t low = 0;
                readHex4(p + 2, end, &low);
                p += 6;
                unit = 0x10000 + ((unit - 0xd800) << 10) + (low - 0xdc00);
            }
            appendUtf8(utf8, unit);
            break;
        }
        default: // " \ /
            utf8.append(e);
            break;
        }
    }
    // QString::fromUtf8() drops a leading U+FEFF as a byte order mark. QJsonDocument does the same to a string without
    // escapes (it keeps it as UTF-8 and converts it with fromUtf8() when asked), but keeps U+FEFF in a string with
    // escapes (it decodes those character by character): "\uFEFFAnn" is four characters there, so it is here.
    if (escapes && utf8.startsWith("\xef\xbb\xbf")) {
        QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::ConvertInitialBom);
        return decoder.decode(utf8);
    }
    return QString::fromUtf8(utf8);
}

} // namespace inkroom::proto::json
