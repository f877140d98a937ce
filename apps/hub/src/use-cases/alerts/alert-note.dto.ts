import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';

export class AlertNoteDto {
  @ApiProperty({ description: 'What was done or decided (never copy clinical detail here that the recipient does not need)', maxLength: 2000, example: 'Called; assessment booked for Tuesday' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(2000)
  note!: string;
}
