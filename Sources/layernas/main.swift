import Foundation
import NASCommands

exit(await LayerNAS.runMain())
