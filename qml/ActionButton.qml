import QtQuick
import QtQuick.Controls

// A button that Return and Enter press too, as Space does: a KDE or GNOME user expects either key on a focused button.
Button {
    id: control

    Keys.onReturnPressed: (event) => control.activate(event)
    Keys.onEnterPressed: (event) => control.activate(event)

    function activate(event: KeyEvent) {
        event.accepted = true
        if (control.enabled)
            control.clicked()
    }
}
