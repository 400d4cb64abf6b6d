import QtQuick
import QtQuick.Controls

// A dialog's standard buttons (set with the dialog's standardButtons) as buttons that Return and Enter press when
// focused, like every other button of the app.
DialogButtonBox {
    delegate: ActionButton {}
}
