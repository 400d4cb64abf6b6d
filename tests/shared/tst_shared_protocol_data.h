#pragma once

#include "protocol.h"

//! One malformed input and the decode error it must give.
struct MalformedCase
{
    const char *name;
    QByteArray bytes;
    inkroom::proto::ErrorCode code;
    QString field;
};

[[nodiscard]] QList<MalformedCase> malformedCases();

//! Inputs at the edges of JSON (escapes, UTF-8, numbers, duplicate keys, nesting): name and bytes.
[[nodiscard]] QList<std::pair<QByteArray, QByteArray>> jsonEdgeCases();
