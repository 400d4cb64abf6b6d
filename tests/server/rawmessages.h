#pragma once

#include <QByteArray>

//! Hand-written wire messages for the server tests. They live outside the Q_OBJECT test files because moc cannot
//! parse raw string literals.
namespace inkroom::test::raw {

//! An add whose second point is out of range (error field item.points[2]), cseq 5.
QByteArray opWithBadPoint();
//! A hello whose client id is too short.
QByteArray helloWithShortClientId();
//! A valid hello but for protocol version 2.
QByteArray helloVersion2();
//! A message of a type nobody knows.
QByteArray unknownType();

} // namespace inkroom::test::raw
