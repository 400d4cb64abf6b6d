#include "imagesniff.h"

#include "protocollimits.h"

using namespace Qt::StringLiterals;

namespace inkroom::proto {

namespace {

quint32 be16(QByteArrayView b, qsizetype at)
{
    return (quint32(quint8(b[at])) << 8) | quint8(b[at + 1]);
}
quint32 be32(QByteArrayView b, qsizetype at)
{
    return (be16(b, at) << 16) | be16(b, at + 2);
}
quint32 le16(QByteArrayView b, qsizetype at)
{
    return quint32(quint8(b[at])) | (quint32(quint8(b[at + 1])) << 8);
}
quint32 le24(QByteArrayView b, qsizetype at)
{
    return le16(b, at) | (quint32(quint8(b[at + 2])) << 16);
}

std::optional<ImageHeader> png(QByteArrayView b, QString *why)
{
    // Signature (8), then the first chunk must be IHDR: length 13, "IHDR", width, height.
    if (b.size() < 33 || be32(b, 8) != 13 || b.sliced(12, 4) != "IHDR") {
        *why = u"the PNG file is cut short or has no header chunk"_s;
        return std::nullopt;
    }
    return ImageHeader {u"png"_s, int(std::min<quint32>(be32(b, 16), 1u << 30)),
                        int(std::min<quint32>(be32(b, 20), 1u << 30))};
}

std::optional<ImageHeader> jpeg(QByteArrayView b, QString *why)
{
    // Walk the markers from SOI to the first start of frame (SOF0..SOF15 but DHT, JPG and DAC), which has the size.
    qsizetype at = 2;
    while (at + 4 <= b.size()) {
        if (quint8(b[at]) != 0xff) {
            *why = u"the JPEG file's markers are damaged"_s;
            return std::nullopt;
        }
        const quint8 marker = quint8(b[at + 1]);
        if (marker == 0xff) { // fill byte
            ++at;
            continue;
        }
        if (marker == 0xd8 || (marker >= 0xd0 && marker <= 0xd7) || marker == 0x01) { // no length
            at += 2;
            continue;
        }
        const quint32 length = be16(b, at + 2);
        if (length < 2) {
            *why = u"the JPEG file's markers are damaged"_s;
            return std::nullopt;
        }
        const bool frame = marker >= 0xc0 && marker <= 0xcf && marker != 0xc4 && marker != 0xc8 && marker != 0xcc;
        if (frame) {
            if (length < 7 || at + 9 > b.size())
                break;
            return ImageHeader {u"jpeg"_s, int(be16(b, at + 7)), int(be16(b, at + 5))};
        }
        if (marker == 0xd9 || marker == 0xda) // end of image, or scan data before any frame header
            break;
        at += 2 + length;
    }
    *why = u"the JPEG file has no frame header"_s;
    return std::nullopt;
}

std::optional<ImageHeader> webp(QByteArrayView b, QString *why)
{
    // RIFF....WEBP then one of VP8 (lossy), VP8L (lossless) or VP8X (extended) chunks.
    if (b.size() < 30) {
        *why = u"the WebP file is cut short"_s;
        return std::nullopt;
    }
    const QByteArrayView chunk = b.sliced(12, 4);
    if (chunk == "VP8 ") {
        // Frame tag (3), start code 9d 01 2a, then 14-bit width and height.
        if (quint8(b[23]) != 0x9d || quint8(b[24]) != 0x01 || quint8(b[25]) != 0x2a) {
            *why = u"the WebP file's frame header is damaged"_s;
            return std::nullopt;
        }
        return ImageHeader {u"webp"_s, int(le16(b, 26) & 0x3fff), int(le16(b, 28) & 0x3fff)};
    }
    if (chunk == "VP8L") {
        if (quint8(b[20]) != 0x2f) {
            *why = u"the WebP file's lossless header is damaged"_s;
            return std::nullopt;
        }
        const quint32 bits = quint32(quint8(b[21])) | (quint32(quint8(b[22])) << 8) | (quint32(quint8(b[23])) << 16)
            | (quint32(quint8(b[24])) << 24);
        return ImageHeader {u"webp"_s, int((bits & 0x3fff) + 1), int(((bits >> 14) & 0x3fff) + 1)};
    }
    if (chunk == "VP8X")
        return ImageHeader {u"webp"_s, int(le24(b, 24) + 1), int(le24(b, 27) + 1)};
    *why = u"the WebP file has no image chunk this server knows"_s;
    return std::nullopt;
}

} // namespace

std::optional<ImageHeader> sniffImage(QByteArrayView bytes, QString *why)
{
    QString local;
    if (!why)
        why = &local;
    std::optional<ImageHeader> header;
    if (bytes.startsWith("\x89PNG\r\n\x1a\n"))
        header = png(bytes, why);
    else if (bytes.size() >= 3 && quint8(bytes[0]) == 0xff && quint8(bytes[1]) == 0xd8 && quint8(bytes[2]) == 0xff)
        header = jpeg(bytes, why);
    else if (bytes.size() >= 12 && bytes.first(4) == "RIFF" && bytes.sliced(8, 4) == "WEBP")
        header = webp(bytes, why);
    else {
        *why = u"it is not a PNG, JPEG or WebP image"_s;
        return std::nullopt;
    }
    if (!header)
        return std::nullopt;
    if (header->width < 1 || header->height < 1) {
        *why = u"the image has no pixels"_s;
        return std::nullopt;
    }
    if (header->width > limits::MaxImageSide || header->height > limits::MaxImageSide
        || qint64(header->width) * header->height > limits::MaxImagePixels) {
        *why =
            u"the image is %1 x %2 pixels; at most %3 pixels a side and %4 megapixels are allowed"_s.arg(header->width)
                .arg(header->height)
                .arg(limits::MaxImageSide)
                .arg(limits::MaxImagePixels / (1024 * 1024));
        return std::nullopt;
    }
    return header;
}

} // namespace inkroom::proto
