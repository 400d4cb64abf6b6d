#pragma once

#include <QByteArrayView>
#include <QString>

#include <optional>

namespace inkroom::proto {

//! What an image file's header says, read without decoding any pixels.
struct ImageHeader
{
    QString format; //!< "png", "jpeg" or "webp"
    int width = 0;
    int height = 0;
};

/** @brief Read the format and the size of a PNG, JPEG or WebP image from its header alone.
 *
 * The server's check of an uploaded blob (docs/PROTOCOL.md, "Images"): it never decodes pixels, so a hostile file
 * costs it nothing but this walk over a few header bytes. Anything else (another format, a header cut short, a size of
 * 0 or past limits::MaxImageSide / MaxImagePixels) gives nullopt and *why says what is wrong in plain words.
 */
[[nodiscard]] std::optional<ImageHeader> sniffImage(QByteArrayView bytes, QString *why);

} // namespace inkroom::proto
