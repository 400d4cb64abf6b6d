#include "imagedecode.h"

#include "imagesniff.h"
#include "protocol.h"
#include "protocollimits.h"

#include <QBuffer>
#include <QImageReader>
#include <QImageWriter>

#include <cmath>

using namespace Qt::StringLiterals;

namespace inkroom::render {

namespace {

//! Megabytes QImageReader may allocate for a picture from the network: a 16-megapixel ARGB image is 64.
constexpr int kNetworkAllocationMb = 128;
//! For a file the user chose, which may be far larger than the limits before it is scaled down.
constexpr int kLocalAllocationMb = 1024;
//! Pictures the user chooses are read up to this many pixels a side (then scaled down).
constexpr int kMaxSourceSide = 32768;

QSize fittedSize(QSize size)
{
    double scale = 1.0;
    scale = std::min(scale, double(limits::MaxImageSide) / size.width());
    scale = std::min(scale, double(limits::MaxImageSide) / size.height());
    const double pixels = double(size.width()) * size.height();
    if (pixels > double(limits::MaxImagePixels))
        scale = std::min(scale, std::sqrt(double(limits::MaxImagePixels) / pixels));
    if (scale >= 1.0)
        return size;
    return QSize(std::max(1, int(size.width() * scale)), std::max(1, int(size.height() * scale)));
}

QByteArray encoded(const QImage &image, const char *format, int quality)
{
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    QImageWriter writer(&buffer, format);
    writer.setQuality(quality);
    if (!writer.write(image))
        return {};
    return bytes;
}

} // namespace

DecodedImage decodeImage(const QByteArray &bytes)
{
    QString why;
    const auto header = proto::sniffImage(bytes, &why);
    if (!header)
        return {QImage(), u"The picture cannot be shown: %1."_s.arg(why), QString()};
    QBuffer buffer;
    buffer.setData(bytes);
    buffer.open(QIODevice::ReadOnly);
    QImageReader reader(&buffer, header->format.toLatin1());
    reader.setAllocationLimit(kNetworkAllocationMb);
    reader.setAutoTransform(false);
    QImage image;
    if (!reader.read(&image) || image.isNull()) {
        return {QImage(), u"The %1 picture cannot be read: %2."_s.arg(header->format.toUpper(), reader.errorString()),
                header->format};
    }
    if (image.width() != header->width || image.height() != header->height)
        return {QImage(), u"The %1 picture is not the size its header says."_s.arg(header->format.toUpper()),
                header->format};
    return {image, QString(), header->format};
}

PreparedImage prepareImage(const QImage &picture)
{
    PreparedImage out;
    if (picture.isNull() || picture.width() < 1 || picture.height() < 1) {
        out.error = u"There is no picture to add."_s;
        return out;
    }
    const QSize size = fittedSize(picture.size());
    QImage image =
        size == picture.size() ? picture : picture.scaled(size, Qt::IgnoreAspectRatio, Qt::SmoothTransformation);
    const bool alpha = image.hasAlphaChannel();
    QByteArray bytes;
    if (alpha) {
        bytes = encoded(image, "png", -1);
        // A PNG of noise can be larger than the limit: scale down until it fits.
        while (!bytes.isEmpty() && bytes.size() > limits::MaxBlobBytes && image.width() > 16) {
            image = image.scaled(image.size() * 0.75, Qt::IgnoreAspectRatio, Qt::SmoothTransformation);
            bytes = encoded(image, "png", -1);
        }
    } else {
        int quality = 90;
        bytes = encoded(image, "jpeg", quality);
        while (!bytes.isEmpty() && bytes.size() > limits::MaxBlobBytes && quality > 40) {
            quality -= 15;
            bytes = encoded(image, "jpeg", quality);
        }
    }
    if (bytes.isEmpty() || bytes.size() > limits::MaxBlobBytes) {
        out.error = u"The picture could not be made small enough to share (at most %1 MB)."_s.arg(limits::MaxBlobBytes
                                                                                                  / (1024 * 1024));
        return out;
    }
    // What others will see is what the bytes decode to.
    DecodedImage check = decodeImage(bytes);
    if (check.image.isNull()) {
        out.error = check.error;
        return out;
    }
    out.bytes = bytes;
    out.hash = proto::blobHashOf(bytes);
    out.image = check.image;
    return out;
}

PreparedImage prepareImageFile(const QByteArray &fileBytes)
{
    PreparedImage out;
    if (fileBytes.isEmpty()) {
        out.error = u"The file is empty."_s;
        return out;
    }
    // Within the limits as it is: share the file's own bytes.
    if (fileBytes.size() <= limits::MaxBlobBytes && proto::sniffImage(fileBytes, nullptr)) {
        DecodedImage decoded = decodeImage(fileBytes);
        if (decoded.image.isNull()) {
            out.error = decoded.error;
            return out;
        }
        out.bytes = fileBytes;
        out.hash = proto::blobHashOf(fileBytes);
        out.image = decoded.image;
        return out;
    }
    QBuffer buffer;
    buffer.setData(fileBytes);
    buffer.open(QIODevice::ReadOnly);
    QImageReader reader(&buffer);
    reader.setAllocationLimit(kLocalAllocationMb);
    const QSize size = reader.size();
    if (!reader.canRead()) {
        out.error = u"The file is not a picture Inkroom can read (PNG, JPEG or WebP)."_s;
        return out;
    }
    if (size.isValid() && (size.width() > kMaxSourceSide || size.height() > kMaxSourceSide)) {
        out.error = u"The picture is %1 x %2 pixels, too large to read (at most %3 a side)."_s.arg(size.width())
                        .arg(size.height())
                        .arg(kMaxSourceSide);
        return out;
    }
    if (size.isValid())
        reader.setScaledSize(fittedSize(size));
    QImage image;
    if (!reader.read(&image) || image.isNull()) {
        out.error = u"The picture cannot be read: %1."_s.arg(reader.errorString());
        return out;
    }
    return prepareImage(image);
}

} // namespace inkroom::render
